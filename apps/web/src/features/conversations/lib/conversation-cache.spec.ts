import type { Conversation } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import {
  applyMentionChange,
  applyMessageToPages,
  applyNotifications,
  applyReadState,
  type ConversationPages,
  findConversation,
  flattenConversationPages,
  type IncomingMessage,
  mentionCountUncertain,
  removeConversationFromPages,
  toConversation,
  upsertConversationInPages,
} from './conversation-cache';
import { idOf, makeConversation, makePage } from './conversation-fixtures';

function pages(...ids: number[][]): ConversationPages {
  return {
    pages: ids.map((page, index) =>
      makePage(
        page.map((n) => makeConversation({ id: idOf(n), title: `Group ${n}` })),
        index < ids.length - 1 ? `cursor-${index}` : null,
      ),
    ),
    pageParams: ids.map((_, index) => (index === 0 ? null : `cursor-${index - 1}`)),
  };
}

const titles = (data: ConversationPages | undefined) => (data ? flattenConversationPages(data).map((c) => c.title) : []);

describe('flattenConversationPages', () => {
  it('keeps the order and drops duplicates from overlapping pages', () => {
    expect(titles(pages([3, 2], [2, 1]))).toEqual(['Group 3', 'Group 2', 'Group 1']);
  });
});

describe('removeConversationFromPages', () => {
  it('removes the conversation from whichever page holds it', () => {
    const data = pages([4, 3], [2, 1]);
    const next = removeConversationFromPages(data, idOf(2));
    expect(titles(next)).toEqual(['Group 4', 'Group 3', 'Group 1']);
    // Untouched pages keep their identity so React Query's structural sharing stays cheap.
    expect(next?.pages[0]).toBe(data.pages[0]);
    expect(next?.pageParams).toBe(data.pageParams);
  });

  it('returns the same object when there is nothing to remove', () => {
    const data = pages([2, 1]);
    expect(removeConversationFromPages(data, idOf(9))).toBe(data);
    expect(removeConversationFromPages(undefined, idOf(1))).toBeUndefined();
  });
});

describe('upsertConversationInPages', () => {
  it('replaces an existing conversation in place', () => {
    const data = pages([3, 2], [1]);
    const renamed = makeConversation({ id: idOf(1), title: 'Renamed' });
    expect(titles(upsertConversationInPages(data, renamed))).toEqual(['Group 3', 'Group 2', 'Renamed']);
  });

  it('puts a new conversation at the top, stripping participants from a detail response', () => {
    const created = { ...makeConversation({ id: idOf(7), title: 'New' }), participants: [] };
    const next = upsertConversationInPages(pages([3, 2]), created);
    expect(titles(next)).toEqual(['New', 'Group 3', 'Group 2']);
    expect(next?.pages[0]?.conversations[0]).not.toHaveProperty('participants');
  });

  it('leaves an unloaded list alone (it will be fetched fresh) and fills an empty one', () => {
    expect(upsertConversationInPages(undefined, makeConversation())).toBeUndefined();
    const empty: ConversationPages = { pages: [], pageParams: [] };
    expect(titles(upsertConversationInPages(empty, makeConversation({ title: 'Only' })))).toEqual(['Only']);
  });
});

describe('findConversation and toConversation', () => {
  it('finds across pages', () => {
    expect(findConversation(pages([3], [2, 1]), idOf(1))?.title).toBe('Group 1');
    expect(findConversation(undefined, idOf(1))).toBeUndefined();
  });

  it('passes list entries through unchanged', () => {
    const conversation = makeConversation();
    expect(toConversation(conversation)).toBe(conversation);
  });
});

describe('unread counts', () => {
  const ME = '00000000-0000-4000-8000-0000000000a1';
  const BOB = '00000000-0000-4000-8000-0000000000b1';

  function message(seq: number, senderId = BOB): IncomingMessage {
    return {
      id: `00000000-0000-4000-9000-${String(seq).padStart(12, '0')}`,
      conversationId: idOf(1),
      seq,
      senderId,
      sender: { displayName: senderId === ME ? 'Me' : 'Bob' },
      content: `m${seq}`,
      deletedAt: null,
      createdAt: new Date(Date.UTC(2025, 4, 14, 12, 0, seq)).toISOString(),
      attachments: [],
    };
  }

  /** The list as fetched: messages up to `lastSeq`, read up to `lastReadSeq`, the rest unread. */
  function listWith(lastSeq: number, lastReadSeq: number, unreadCount = lastSeq - lastReadSeq): ConversationPages {
    const { id, seq, senderId, createdAt } = message(lastSeq);
    const lastMessage = { id, seq, senderId, senderName: 'Bob', preview: `m${seq}`, deleted: false, attachmentNames: [], createdAt };
    return { pages: [makePage([makeConversation({ id: idOf(1), lastSeq, lastReadSeq, unreadCount, lastMessage })])], pageParams: [null] };
  }

  const receive = (data: ConversationPages | undefined, seq: number, senderId = BOB) =>
    applyMessageToPages(data, message(seq, senderId), { countAsUnread: senderId !== ME, sentByMe: senderId === ME });
  const entry = (data: ConversationPages | undefined) => findConversation(data, idOf(1)) as Conversation;
  const badge = ({ lastReadSeq, unreadCount }: Conversation) => ({ lastReadSeq, unreadCount });

  it('a read that moves the marker clears what it read', () => {
    expect(badge(applyReadState(entry(listWith(8, 5)), { lastReadSeq: 8, unreadCount: 0, mentionCount: 0 }))).toEqual({ lastReadSeq: 8, unreadCount: 0 });
    expect(badge(applyReadState(entry(listWith(8, 5)), { lastReadSeq: 7, unreadCount: 1, mentionCount: 0 }))).toEqual({ lastReadSeq: 7, unreadCount: 1 });
  });

  it('a read older than the cached marker changes nothing', () => {
    const conversation = entry(listWith(8, 8));
    expect(applyReadState(conversation, { lastReadSeq: 5, unreadCount: 3, mentionCount: 0 })).toBe(conversation);
  });

  it('a read with the same marker, answered before a newer message arrived, keeps that message unread', () => {
    const data = receive(listWith(8, 8), 9);
    expect(entry(data).unreadCount).toBe(1);
    expect(badge(applyReadState(entry(data), { lastReadSeq: 8, unreadCount: 0, mentionCount: 0 }))).toEqual({ lastReadSeq: 8, unreadCount: 1 });
  });

  it('a read that moves the marker still counts the messages that arrived after it was answered', () => {
    const data = receive(receive(listWith(8, 5), 9), 10);
    expect(badge(applyReadState(entry(data), { lastReadSeq: 8, unreadCount: 0, mentionCount: 0 }))).toEqual({ lastReadSeq: 8, unreadCount: 2 });
    expect(badge(applyReadState(entry(data), { lastReadSeq: 9, unreadCount: 0, mentionCount: 0 }))).toEqual({ lastReadSeq: 9, unreadCount: 1 });
  });

  it('a read with the same marker that counted every known message applies', () => {
    // Message 9 arrived while the conversation was open, so it was not counted; it is unread all the same.
    const data = applyMessageToPages(listWith(8, 8), message(9), { countAsUnread: false });
    expect(badge(applyReadState(entry(data), { lastReadSeq: 8, unreadCount: 1, mentionCount: 0 }))).toEqual({ lastReadSeq: 8, unreadCount: 1 });
    // A stale badge is corrected.
    expect(badge(applyReadState(entry(listWith(8, 8, 2)), { lastReadSeq: 8, unreadCount: 0, mentionCount: 0 }))).toEqual({ lastReadSeq: 8, unreadCount: 0 });
  });

  it('a read that counted messages not received yet does not count them twice', () => {
    const conversation = applyReadState(entry(listWith(8, 6)), { lastReadSeq: 8, unreadCount: 2, mentionCount: 0 });
    const data = receive(receive({ pages: [makePage([conversation])], pageParams: [null] }, 9), 10);
    expect(badge(entry(data))).toEqual({ lastReadSeq: 8, unreadCount: 2 });
    expect(badge(entry(receive(data, 11)))).toEqual({ lastReadSeq: 8, unreadCount: 3 });
  });

  it('a new message brings the names of its files for the preview', () => {
    const photo = { ...message(9), content: '', attachments: [{ name: 'beach.png' }, { name: 'plan.pdf' }] };
    const data = applyMessageToPages(listWith(8, 8), photo, { countAsUnread: true });
    expect(entry(data).lastMessage).toMatchObject({ seq: 9, preview: '', attachmentNames: ['beach.png', 'plan.pdf'] });
  });

  it('sending a message reads everything before it, as it does on the server', () => {
    const data = receive(listWith(8, 5), 9, ME);
    expect(badge(entry(data))).toEqual({ lastReadSeq: 9, unreadCount: 0 });
    // A read answered before the message was sent is then old news.
    expect(badge(applyReadState(entry(data), { lastReadSeq: 8, unreadCount: 0, mentionCount: 0 }))).toEqual({ lastReadSeq: 9, unreadCount: 0 });
  });
});

describe('mention counts', () => {
  const BOB = '00000000-0000-4000-8000-0000000000b1';

  function message(seq: number): IncomingMessage {
    return {
      id: `00000000-0000-4000-9000-${String(seq).padStart(12, '0')}`,
      conversationId: idOf(1),
      seq,
      senderId: BOB,
      sender: { displayName: 'Bob' },
      content: `@Me m${seq}`,
      deletedAt: null,
      createdAt: new Date(Date.UTC(2025, 4, 14, 12, 0, seq)).toISOString(),
      attachments: [],
    };
  }

  const conversation = (lastSeq: number, lastReadSeq: number, mentionCount: number, unreadCount = lastSeq - lastReadSeq) =>
    makeConversation({ id: idOf(1), lastSeq, lastReadSeq, unreadCount, mentionCount });
  const list = (entry: Conversation): ConversationPages => ({ pages: [makePage([entry])], pageParams: [null] });
  const counts = (data: ConversationPages | Conversation | undefined) => {
    const entry = data && 'pages' in data ? findConversation(data, idOf(1)) : data;
    return { unreadCount: entry?.unreadCount, mentionCount: entry?.mentionCount };
  };

  it('a new unread message that mentions me counts once; one that does not, or one I am reading, does not', () => {
    const mentioned = applyMessageToPages(list(conversation(8, 8, 0)), message(9), { countAsUnread: true, mentionsMe: true });
    expect(counts(mentioned)).toEqual({ unreadCount: 1, mentionCount: 1 });
    // The same message again (another tab, a catch-up) changes nothing.
    expect(applyMessageToPages(mentioned, message(9), { countAsUnread: true, mentionsMe: true })).toBe(mentioned);
    expect(counts(applyMessageToPages(list(conversation(8, 8, 0)), message(9), { countAsUnread: true }))).toEqual({ unreadCount: 1, mentionCount: 0 });
    expect(counts(applyMessageToPages(list(conversation(8, 8, 0)), message(9), { countAsUnread: false, mentionsMe: true }))).toEqual({
      unreadCount: 0,
      mentionCount: 0,
    });
  });

  it('sending a message clears the mentions before it, as it reads them', () => {
    const data = applyMessageToPages(list(conversation(8, 5, 2)), message(9), { countAsUnread: false, sentByMe: true });
    expect(counts(data)).toEqual({ unreadCount: 0, mentionCount: 0 });
  });

  it("a read (mine, or another device's) sets the count the server answered", () => {
    expect(counts(applyReadState(conversation(8, 5, 2), { lastReadSeq: 8, unreadCount: 0, mentionCount: 0 }))).toEqual({ unreadCount: 0, mentionCount: 0 });
    expect(counts(applyReadState(conversation(8, 5, 2), { lastReadSeq: 7, unreadCount: 1, mentionCount: 1 }))).toEqual({ unreadCount: 1, mentionCount: 1 });
    // Same marker, a stale count corrected.
    expect(counts(applyReadState(conversation(8, 8, 1, 0), { lastReadSeq: 8, unreadCount: 0, mentionCount: 0 }))).toEqual({ unreadCount: 0, mentionCount: 0 });
  });

  it('a read answered before a newer mention arrived keeps it counted when it cleared no other mention', () => {
    const data = applyMessageToPages(list(conversation(8, 5, 0)), message(9), { countAsUnread: true, mentionsMe: true });
    expect(counts(data)).toEqual({ unreadCount: 4, mentionCount: 1 });
    const entry = findConversation(data, idOf(1)) as Conversation;
    const read = { lastReadSeq: 8, unreadCount: 0, mentionCount: 0 };
    // The read moved past three messages; the cache cannot tell whether its counted mention was among them.
    expect(counts(applyReadState(entry, read))).toEqual({ unreadCount: 1, mentionCount: 0 });
    expect(mentionCountUncertain(entry, read)).toBe(true);
    // Reading everything it knows is exact.
    expect(counts(applyReadState(entry, { lastReadSeq: 9, unreadCount: 0, mentionCount: 0 }))).toEqual({ unreadCount: 0, mentionCount: 0 });
    expect(mentionCountUncertain(entry, { lastReadSeq: 9, unreadCount: 0, mentionCount: 0 })).toBe(false);
    // A read that moves nothing clears nothing.
    expect(counts(applyReadState(entry, { lastReadSeq: 5, unreadCount: 3, mentionCount: 0 }))).toEqual({ unreadCount: 4, mentionCount: 1 });
  });

  it('an edit or a delete of an unread message moves the count; of a read one, nothing', () => {
    expect(counts(applyMentionChange(conversation(8, 5, 0), 7, 1))).toEqual({ unreadCount: 3, mentionCount: 1 });
    expect(counts(applyMentionChange(conversation(8, 5, 1), 7, -1))).toEqual({ unreadCount: 3, mentionCount: 0 });
    const read = conversation(8, 5, 1);
    expect(applyMentionChange(read, 5, -1)).toBe(read);
    expect(applyMentionChange(read, 3, 1)).toBe(read);
    // Not counted yet: it counts as it arrives, with the mentions it has then.
    expect(applyMentionChange(read, 9, 1)).toBe(read);
    // Never below zero.
    expect(counts(applyMentionChange(conversation(8, 5, 0), 7, -1))).toEqual({ unreadCount: 3, mentionCount: 0 });
  });
});

describe('applyNotifications', () => {
  it('replaces the state, and gives the same object back when nothing changed', () => {
    const conversation = makeConversation({ notifications: { level: 'all', custom: false, mutedUntil: null } });
    const muted = { level: 'all' as const, custom: false, mutedUntil: '2025-05-14T13:00:00.000Z' };
    expect(applyNotifications(conversation, muted).notifications).toEqual(muted);
    expect(applyNotifications(conversation, { level: 'all', custom: false, mutedUntil: null })).toBe(conversation);
  });
});
