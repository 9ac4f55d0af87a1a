import { describe, expect, it } from 'vitest';
import {
  type ConversationPages,
  findConversation,
  flattenConversationPages,
  removeConversationFromPages,
  toConversation,
  upsertConversationInPages,
} from './conversation-cache';
import { idOf, makeConversation, makePage } from './conversation-fixtures';

function pages(...ids: number[][]): ConversationPages {
  return {
    pages: ids.map((page, index) => makePage(page.map((n) => makeConversation({ id: idOf(n), title: `Group ${n}` })), index < ids.length - 1 ? `cursor-${index}` : null)),
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
