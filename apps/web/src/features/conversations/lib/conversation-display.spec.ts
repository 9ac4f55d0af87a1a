import type { Participant } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { conversationTitle, memberCountLabel, previewParts, sortParticipants, unreadBadgeLabel } from './conversation-display';
import { idOf, makeConversation } from './conversation-fixtures';

const me = idOf(100);
const ada = { id: idOf(101), displayName: 'Ada Lovelace' };

function message(overrides: Partial<NonNullable<ReturnType<typeof makeConversation>['lastMessage']>> = {}) {
  return {
    id: idOf(500),
    seq: 1,
    senderId: ada.id,
    senderName: ada.displayName,
    preview: 'See you at ten',
    deleted: false,
    attachmentNames: [] as string[],
    createdAt: '2025-05-14T12:00:00.000Z',
    ...overrides,
  };
}

describe('conversationTitle', () => {
  it('uses the title for groups and the other person for direct chats', () => {
    expect(conversationTitle(makeConversation({ title: 'Weekend plans' }))).toBe('Weekend plans');
    expect(conversationTitle(makeConversation({ type: 'direct', title: null, peer: ada }))).toBe('Ada Lovelace');
  });

  it('falls back when the data is missing', () => {
    expect(conversationTitle(makeConversation({ title: '  ' }))).toBe('Untitled group');
    expect(conversationTitle(makeConversation({ type: 'direct', title: null, peer: null }))).toBe('Deleted user');
  });
});

describe('previewParts', () => {
  it('says so when there are no messages yet', () => {
    expect(previewParts(makeConversation(), me)).toEqual({ kind: 'empty', text: 'No messages yet' });
  });

  it('names the sender in groups', () => {
    expect(previewParts(makeConversation({ lastMessage: message() }), me)).toEqual({
      kind: 'message',
      sender: 'Ada Lovelace',
      text: 'See you at ten',
      files: false,
    });
  });

  it('shows the words of a formatted message without its markers', () => {
    expect(previewParts(makeConversation({ lastMessage: message({ preview: '**lint** is _green_\n> and `ci` too' }) }), me)).toMatchObject({
      text: 'lint is green and ci too',
    });
  });

  it('says "You" for my own messages, in groups and direct chats', () => {
    const mine = message({ senderId: me, senderName: 'Me Myself' });
    expect(previewParts(makeConversation({ lastMessage: mine }), me)).toMatchObject({ sender: 'You' });
    expect(previewParts(makeConversation({ type: 'direct', peer: ada, lastMessage: mine }), me)).toMatchObject({ sender: 'You' });
  });

  it('renders a change to the group as one sentence, with "You" for my own', () => {
    const renamed = { kind: 'renamed' as const, title: 'Launch', previousTitle: 'Team' };
    expect(previewParts(makeConversation({ lastMessage: message({ system: renamed }) }), me)).toEqual({
      kind: 'system',
      text: 'Ada Lovelace renamed the group to "Launch"',
    });
    expect(previewParts(makeConversation({ lastMessage: message({ senderId: me, system: renamed }) }), me)).toEqual({
      kind: 'system',
      text: 'You renamed the group to "Launch"',
    });
  });

  it('leaves the sender out of direct chats, where the title already names them', () => {
    expect(previewParts(makeConversation({ type: 'direct', peer: ada, lastMessage: message() }), me)).toEqual({
      kind: 'message',
      sender: null,
      text: 'See you at ten',
      files: false,
    });
  });

  it('shows deleted messages without their (empty) text', () => {
    expect(previewParts(makeConversation({ lastMessage: message({ deleted: true, preview: '' }) }), me)).toEqual({
      kind: 'deleted',
      text: 'Message deleted',
    });
  });

  it('names the files of a message without text, and keeps the text when there is some', () => {
    const withFiles = (preview: string, attachmentNames: string[]) =>
      previewParts(makeConversation({ lastMessage: message({ preview, attachmentNames }) }), me);
    expect(withFiles('', ['beach.png'])).toMatchObject({ kind: 'message', text: 'beach.png', files: true });
    expect(withFiles('', ['beach.png', 'plan.pdf', 'notes.txt'])).toMatchObject({ text: 'beach.png and 2 more', files: true });
    expect(withFiles('Look at this', ['beach.png'])).toMatchObject({ text: 'Look at this', files: false });
  });

  it('collapses line breaks and runs of spaces onto one line', () => {
    expect(previewParts(makeConversation({ lastMessage: message({ preview: 'line one\n\n  line two ' }) }), me)).toMatchObject({
      text: 'line one line two',
    });
  });
});

describe('unreadBadgeLabel', () => {
  it('hides the badge when everything is read and caps it at 99+', () => {
    expect(unreadBadgeLabel(0)).toBeNull();
    expect(unreadBadgeLabel(-1)).toBeNull();
    expect(unreadBadgeLabel(1)).toBe('1');
    expect(unreadBadgeLabel(99)).toBe('99');
    expect(unreadBadgeLabel(100)).toBe('99+');
  });
});

describe('memberCountLabel', () => {
  it('pluralises', () => {
    expect(memberCountLabel(1)).toBe('1 member');
    expect(memberCountLabel(3)).toBe('3 members');
  });
});

describe('sortParticipants', () => {
  it('puts the owner first, then the order people joined, then names', () => {
    // Asserted rather than annotated: only the fields the sort reads matter here.
    const participant = (name: string, role: Participant['role'], joinedAt: string, n: number) =>
      ({ user: { id: idOf(n), displayName: name }, role, joinedAt }) as Participant;
    const sorted = sortParticipants([
      participant('Zoe', 'member', '2025-05-14T12:00:00.000Z', 1),
      participant('Late', 'member', '2025-05-15T12:00:00.000Z', 2),
      participant('Owner', 'owner', '2025-05-14T12:00:00.000Z', 3),
      participant('Amy', 'member', '2025-05-14T12:00:00.000Z', 4),
    ]);
    expect(sorted.map((p) => p.user.displayName)).toEqual(['Owner', 'Amy', 'Zoe', 'Late']);
  });
});
