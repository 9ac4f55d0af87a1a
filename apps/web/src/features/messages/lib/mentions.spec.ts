import { describe, expect, it } from 'vitest';
import {
  activeMentionQuery,
  canMentionEveryone,
  filterCandidates,
  findMentionSpans,
  insertMention,
  mentionChips,
  mentionsInText,
  mentionsUser,
} from './mentions';

const BOB = { id: '00000000-0000-4000-8000-0000000000b1', displayName: 'Bob' };
const BOB_BROWN = { id: '00000000-0000-4000-8000-0000000000b2', displayName: 'Bob Brown' };
const JIM = { id: '00000000-0000-4000-8000-0000000000c1', displayName: 'Jim Bond' };
const CAT = { id: '00000000-0000-4000-8000-0000000000d1', displayName: 'Cat' };

describe('activeMentionQuery', () => {
  it('finds an @ at a word start and what follows it up to the caret', () => {
    expect(activeMentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(activeMentionQuery('hi @bo', 6)).toEqual({ start: 3, query: 'bo' });
    expect(activeMentionQuery('hi (@bob b', 10)).toEqual({ start: 4, query: 'bob b' });
    // Only up to the caret.
    expect(activeMentionQuery('hi @bob there', 5)).toEqual({ start: 3, query: 'b' });
  });

  it('ignores an @ inside a word, after a space, or across lines', () => {
    expect(activeMentionQuery('mail me@example.com', 19)).toBeNull();
    expect(activeMentionQuery('@ bob', 5)).toBeNull();
    expect(activeMentionQuery('@bob\nnext', 9)).toBeNull();
    expect(activeMentionQuery('no mention', 10)).toBeNull();
  });
});

describe('filterCandidates', () => {
  it('matches the start of any word of the name, ignoring case, names starting with it first', () => {
    expect(filterCandidates([JIM, CAT, BOB_BROWN, BOB], 'bo').map((c) => c.displayName)).toEqual(['Bob', 'Bob Brown', 'Jim Bond']);
    expect(filterCandidates([JIM, CAT, BOB_BROWN, BOB], 'BR').map((c) => c.displayName)).toEqual(['Bob Brown']);
    expect(filterCandidates([JIM, CAT, BOB], 'ob')).toEqual([]);
    expect(filterCandidates([JIM, CAT], '')).toHaveLength(2);
  });
});

describe('insertMention', () => {
  it('replaces the typed query with the name and a space, caret after it', () => {
    expect(insertMention('hi @bo', 3, 6, 'Bob Brown')).toEqual({ text: 'hi @Bob Brown ', caret: 14 });
    expect(insertMention('hi @bo there', 3, 6, 'Bob')).toEqual({ text: 'hi @Bob there', caret: 8 });
  });
});

describe('findMentionSpans', () => {
  it('finds whole names only, the longest where names overlap', () => {
    const text = '@Bob Brown and @bob, not @Bobby or x@Bob';
    expect(findMentionSpans(text, ['Bob', 'Bob Brown']).map(({ start, end, name }) => [text.slice(start, end), name])).toEqual([
      ['@Bob Brown', 'Bob Brown'],
      ['@bob', 'Bob'],
    ]);
  });
});

describe('mentionsInText', () => {
  it('names each candidate whose "@Name" is still in the text', () => {
    expect(mentionsInText('@Bob Brown and @Cat', [BOB, BOB_BROWN, CAT], false)).toEqual({ userIds: [BOB_BROWN.id, CAT.id], everyone: false });
    // Deleted from the text: no longer mentioned.
    expect(mentionsInText('and @Ca', [CAT], false)).toEqual({ userIds: [], everyone: false });
  });

  it('mentions everyone for @everyone or @here only where allowed', () => {
    expect(mentionsInText('@here lunch', [BOB], true)).toEqual({ userIds: [], everyone: true });
    expect(mentionsInText('@everyone lunch', [BOB], true)).toEqual({ userIds: [], everyone: true });
    expect(mentionsInText('@everyone lunch', [BOB], false)).toEqual({ userIds: [], everyone: false });
  });
});

describe('who may be mentioned', () => {
  it('everyone: in groups, by anyone up to 50 members, by owners above', () => {
    expect(canMentionEveryone({ type: 'group', participantCount: 50, role: 'member' })).toBe(true);
    expect(canMentionEveryone({ type: 'group', participantCount: 51, role: 'member' })).toBe(false);
    expect(canMentionEveryone({ type: 'group', participantCount: 51, role: 'owner' })).toBe(true);
    expect(canMentionEveryone({ type: 'direct', participantCount: 2, role: 'member' })).toBe(false);
  });

  it('a message reaches me when it names me or everyone', () => {
    expect(mentionsUser({ userIds: [BOB.id], everyone: false }, BOB.id)).toBe(true);
    expect(mentionsUser({ userIds: [], everyone: true }, BOB.id)).toBe(true);
    expect(mentionsUser({ userIds: [CAT.id], everyone: false }, BOB.id)).toBe(false);
    expect(mentionsUser({ userIds: [], everyone: true }, undefined)).toBe(false);
  });
});

describe('mentionChips', () => {
  const names = new Map([
    [BOB.id, 'Bob'],
    [CAT.id, 'Cat'],
  ]);

  it("shows known names as chips, the reader's highlighted in someone else's message", () => {
    expect(mentionChips({ userIds: [BOB.id, CAT.id, JIM.id], everyone: false }, names, BOB.id, false)).toEqual([
      { name: 'Bob', highlighted: true },
      { name: 'Cat', highlighted: false },
    ]);
    expect(mentionChips({ userIds: [BOB.id], everyone: false }, names, BOB.id, true)).toEqual([{ name: 'Bob', highlighted: false }]);
  });

  it('shows @everyone and @here when it mentions everyone', () => {
    expect(mentionChips({ userIds: [], everyone: true }, names, CAT.id, false)).toEqual([
      { name: 'everyone', highlighted: true },
      { name: 'here', highlighted: true },
    ]);
    expect(mentionChips({ userIds: [], everyone: false }, names, CAT.id, false)).toEqual([]);
  });
});
