import type { Message } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import {
  addPendingMessage,
  applyMessages,
  type ChatMessage,
  type ChatMessagePage,
  contiguousSeq,
  flattenMessagePages,
  hasGapBefore,
  hasHole,
  highestSeq,
  joinWindow,
  lowestSeq,
  mergeMessages,
  type MessagePages,
  patchMessage,
  removePendingMessage,
  sendMovedMarker,
  toChatMessage,
  updateHeldMessages,
  windowJoinsTimeline,
  withPendingMessages,
} from './message-cache';
import { idOf, makeMessage as baseMessage, sentBy } from './message-fixtures';

const CONVERSATION = '00000000-0000-4000-8000-000000000c01';
const ALICE = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b1';

/** Odd seqs from Alice, even ones from Bob. */
function makeMessage(seq: number, overrides: Partial<Message> = {}): Message {
  return baseMessage(seq, { conversationId: CONVERSATION, ...(seq % 2 ? sentBy(ALICE, 'Alice') : sentBy(BOB, 'Bob')), ...overrides });
}

function pending(clientN: number, content: string, createdAt = '2025-05-14T13:00:00.000Z'): ChatMessage {
  const clientMessageId = idOf('3', clientN);
  return { ...makeMessage(1, { id: clientMessageId, clientMessageId, senderId: ALICE, content, createdAt, updatedAt: createdAt }), seq: 0, status: 'sending' };
}

function page(messages: Message[] | ChatMessage[], hasMore = false): ChatMessagePage {
  return {
    messages: messages.map((message) => ('status' in message ? message : toChatMessage(message))),
    hasMore,
    lastSeq: Math.max(0, ...messages.map((message) => message.seq)),
    syncedAt: '2025-05-14T12:00:00.000Z',
  };
}

function pages(...list: ChatMessagePage[]): MessagePages {
  return { pages: list, pageParams: list.map((_, index) => (index === 0 ? null : index)) };
}

const seqs = (messages: readonly ChatMessage[]) => messages.map((message) => message.seq);

describe('mergeMessages', () => {
  it('orders by seq whatever order messages arrive in', () => {
    const merged = mergeMessages([], [makeMessage(3), makeMessage(1), makeMessage(2)]);
    expect(seqs(merged)).toEqual([1, 2, 3]);
  });

  it('drops duplicates by id and returns the same array when nothing changed', () => {
    const existing = mergeMessages([], [makeMessage(1), makeMessage(2)]);
    expect(mergeMessages(existing, [makeMessage(2), makeMessage(1)])).toBe(existing);
    expect(mergeMessages(existing, [])).toBe(existing);
  });

  it('replaces the optimistic copy with the stored message matched by clientMessageId', () => {
    const optimistic = pending(7, 'hello');
    const stored = makeMessage(4, { clientMessageId: optimistic.clientMessageId, senderId: ALICE, content: 'hello' });
    const merged = mergeMessages([toChatMessage(makeMessage(3)), optimistic], [stored]);
    expect(merged).toHaveLength(2);
    expect(merged[1]).toMatchObject({ id: stored.id, seq: 4, status: 'delivered' });
    // The same message again (another tab's echo, a catch-up) changes nothing.
    expect(mergeMessages(merged, [stored])).toBe(merged);
  });

  it('keeps pending messages after every stored one, in the order they were written', () => {
    const first = pending(1, 'first', '2025-05-14T13:00:00.000Z');
    const second = pending(2, 'second', '2025-05-14T13:00:01.000Z');
    const merged = mergeMessages([second, first], [makeMessage(9), makeMessage(8)]);
    expect(merged.map((message) => message.content)).toEqual(['message 8', 'message 9', 'first', 'second']);
  });

  it('applies newer edits, ignores stale ones, and never undoes a delete', () => {
    const original = makeMessage(5);
    const edited = { ...original, content: 'edited', editedAt: '2025-05-14T12:10:00.000Z', updatedAt: '2025-05-14T12:10:00.000Z' };
    let merged = mergeMessages([toChatMessage(original)], [edited]);
    expect(merged[0]?.content).toBe('edited');
    expect(mergeMessages(merged, [original])).toBe(merged);

    const deleted = { ...edited, content: '', deletedAt: '2025-05-14T12:20:00.000Z', updatedAt: '2025-05-14T12:20:00.000Z' };
    merged = mergeMessages(merged, [deleted]);
    expect(merged[0]).toMatchObject({ content: '', deletedAt: deleted.deletedAt });
    expect(mergeMessages(merged, [{ ...edited, updatedAt: '2025-05-14T12:30:00.000Z' }])[0]?.deletedAt).toBe(deleted.deletedAt);
  });
});

describe('timeline pages', () => {
  it('flattens pages (latest first in the cache) into one ascending list without duplicates', () => {
    const data = pages(page([makeMessage(4), makeMessage(5)]), page([makeMessage(2), makeMessage(3), makeMessage(4)], true));
    expect(seqs(flattenMessagePages(data))).toEqual([2, 3, 4, 5]);
    expect(highestSeq(data)).toBe(5);
    expect(lowestSeq(data)).toBe(2);
  });

  it('puts new messages on the latest page and updates older ones where they are, keeping the sync marks', () => {
    const data = pages(page([makeMessage(3), makeMessage(4)]), page([makeMessage(1), makeMessage(2)], true));
    const editedOne = { ...makeMessage(1), content: 'fixed', updatedAt: '2025-05-15T00:00:00.000Z' };
    const next = applyMessages(data, [makeMessage(6), makeMessage(5), editedOne], { syncedAt: '2025-05-15T00:00:01.000Z', lastSeq: 6 });
    expect(seqs(next?.pages[0]?.messages ?? [])).toEqual([3, 4, 5, 6]);
    expect(next?.pages[1]?.messages[0]?.content).toBe('fixed');
    expect(next?.pages[0]).toMatchObject({ syncedAt: '2025-05-15T00:00:01.000Z', lastSeq: 6 });
    expect(seqs(flattenMessagePages(next))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('leaves an uncached timeline alone', () => {
    expect(applyMessages(undefined, [makeMessage(1)])).toBeUndefined();
  });

  it('adds a pending message once; a retry flips the failed copy back to sending', () => {
    const data = pages(page([makeMessage(1)]));
    const optimistic = pending(1, 'hi');
    const added = addPendingMessage(data, optimistic);
    const failed = patchMessage(
      added,
      (message) => message.id === optimistic.id,
      (message) => ({ ...message, status: 'failed', failure: { code: 'TIMEOUT', message: 'x' } }),
    );
    const retried = addPendingMessage(failed, optimistic);
    const timeline = flattenMessagePages(retried);
    expect(timeline).toHaveLength(2);
    expect(timeline[1]).toMatchObject({ status: 'sending', failure: undefined });
  });

  it('detects a gap in seq', () => {
    const data = pages(page([makeMessage(1), makeMessage(2)]));
    expect(hasGapBefore(data, 3)).toBe(false);
    expect(hasGapBefore(data, 4)).toBe(true);
    // An empty timeline was loaded from an empty conversation: seq 9 means 1..8 are missing.
    expect(hasGapBefore(pages(page([])), 9)).toBe(true);
    expect(hasGapBefore(pages(page([])), 1)).toBe(false);
    expect(hasGapBefore(undefined, 9)).toBe(false);
  });
});

describe('the contiguous mark', () => {
  it('is the highest seq below which nothing is missing, from the oldest loaded message up', () => {
    expect(contiguousSeq(pages(page([])))).toBe(0);
    expect(contiguousSeq(pages(page([makeMessage(4), makeMessage(5)]), page([makeMessage(2), makeMessage(3)], true)))).toBe(5);
    // A live message beyond a lost one is kept, but the mark stays below the hole.
    const withHole = applyMessages(pages(page([makeMessage(4), makeMessage(5)], true)), [makeMessage(8)]);
    expect(seqs(flattenMessagePages(withHole))).toEqual([4, 5, 8]);
    expect(contiguousSeq(withHole)).toBe(5);
    expect(hasHole(withHole)).toBe(true);
    expect(contiguousSeq(applyMessages(withHole, [makeMessage(7), makeMessage(6)]))).toBe(8);
    // Pending messages have no seq yet and never count.
    expect(contiguousSeq(addPendingMessage(pages(page([makeMessage(1)])), pending(1, 'hi')))).toBe(1);
  });

  it("the reconnect scenario: the held send stored above B's 3 missed messages does not hide them", () => {
    // A holds 1..5 and goes offline; B sends 6, 7, 8; A's message written offline is stored as 9.
    let data = addPendingMessage(pages(page([1, 2, 3, 4, 5].map((seq) => makeMessage(seq)))), pending(1, 'written offline'));
    const held = data!.pages[0]!.messages.at(-1)!;
    data = applyMessages(data, [makeMessage(9, { senderId: ALICE, clientMessageId: held.clientMessageId, content: 'written offline' })]);
    expect(highestSeq(data)).toBe(9);
    expect(contiguousSeq(data)).toBe(5);
    expect(hasHole(data)).toBe(true);
    // The catch-up asks for what follows 5 and gets B's three.
    data = applyMessages(
      data,
      [6, 7, 8, 9].map((seq) => makeMessage(seq, seq === 9 ? { senderId: ALICE, clientMessageId: held.clientMessageId, content: 'written offline' } : {})),
    );
    expect(seqs(flattenMessagePages(data))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(flattenMessagePages(data).every((message) => message.status === 'delivered')).toBe(true);
    expect(contiguousSeq(data)).toBe(9);
  });

  it('says a send read what lay below it only when the send claimed to hold it all', () => {
    // The held message above went out claiming 5 and was stored as 9: 6..8 stay unread on the
    // server, even if a catch-up has filled the timeline by the time the ack arrives.
    expect(sendMovedMarker(5, 9)).toBe(false);
    expect(sendMovedMarker(8, 9)).toBe(true);
    expect(sendMovedMarker(12, 9)).toBe(true);
    // An older client that claims nothing gets the old rule: its send reads up to it.
    expect(sendMovedMarker(undefined, 9)).toBe(true);
  });

  it('leaves edits of history older than the loaded pages to those pages', () => {
    const data = pages(page([makeMessage(5), makeMessage(6)], true));
    const oldEdit = { ...makeMessage(2), content: 'edited long ago', updatedAt: '2025-05-15T00:00:00.000Z' };
    expect(applyMessages(data, [oldEdit])).toBe(data);
    expect(contiguousSeq(data)).toBe(6);
  });

  it('shows unsent messages from the outbox once, after the stored ones, unless the server already has them', () => {
    const data = pages(page([makeMessage(1), makeMessage(2)]));
    const first = pending(1, 'first', '2025-05-14T13:00:00.000Z');
    const second = pending(2, 'second', '2025-05-14T13:00:01.000Z');
    const shown = withPendingMessages(data, [second, first]);
    expect(flattenMessagePages(shown).map((message) => message.content)).toEqual(['message 1', 'message 2', 'first', 'second']);
    expect(withPendingMessages(shown, [first, second])).toBe(shown);
    // The server stored "first" before the page loaded (its ack was lost): it is not shown twice.
    const stored = pages(page([makeMessage(1), makeMessage(2), makeMessage(3, { senderId: ALICE, clientMessageId: first.clientMessageId, content: 'first' })]));
    expect(flattenMessagePages(withPendingMessages(stored, [first, second])).map((message) => message.content)).toEqual([
      'message 1',
      'message 2',
      'first',
      'second',
    ]);
    expect(flattenMessagePages(removePendingMessage(shown, ALICE, second.clientMessageId)).map((message) => message.content)).toEqual([
      'message 1',
      'message 2',
      'first',
    ]);
  });

  it('keeps a retried message in its place among the unsent ones (by when it was written)', () => {
    const first = pending(1, 'first', '2025-05-14T13:00:00.000Z');
    const second = pending(2, 'second', '2025-05-14T13:00:01.000Z');
    let data = withPendingMessages(pages(page([makeMessage(1)])), [first, second]);
    data = patchMessage(
      data,
      (message) => message.id === first.id,
      (message) => ({ ...message, status: 'failed', failure: { code: 'VALIDATION_ERROR', message: 'Not sent.' } }),
    );
    data = addPendingMessage(data, { ...first, createdAt: '2025-05-14T14:00:00.000Z' });
    expect(flattenMessagePages(data).map((message) => `${message.content}:${message.status}`)).toEqual([
      'message 1:delivered',
      'first:sending',
      'second:sending',
    ]);
  });
});

const run = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => makeMessage(from + index));

/** A window opened around an old message: its newest page first, like a timeline. */
function windowPages(from: number, to: number, { hasOlder = from > 1, hasNewer = true } = {}): MessagePages {
  return { pages: [{ ...page(run(from, to), hasOlder), hasNewer }], pageParams: [{ aroundSeq: Math.round((from + to) / 2) }] };
}

describe('a window opened around an old message', () => {
  it('takes edits and deletes of the messages it holds, and never a new message', () => {
    const window = windowPages(10, 14);
    const edited = { ...makeMessage(12), content: 'fixed', editedAt: '2025-05-15T00:00:00.000Z', updatedAt: '2025-05-15T00:00:00.000Z' };
    const next = updateHeldMessages(window, [edited, makeMessage(300), makeMessage(9)]);
    expect(seqs(flattenMessagePages(next))).toEqual([10, 11, 12, 13, 14]);
    expect(flattenMessagePages(next).find((message) => message.seq === 12)?.content).toBe('fixed');
    expect(updateHeldMessages(window, [makeMessage(300)])).toBe(window);
  });

  it('joins the live timeline once it reaches its oldest message, not before, and not over a hole', () => {
    const live = pages(page(run(51, 60)), page(run(41, 50), true));
    expect(windowJoinsTimeline(windowPages(10, 39), live)).toBe(false);
    expect(windowJoinsTimeline(windowPages(10, 40), live)).toBe(true);
    expect(windowJoinsTimeline(windowPages(10, 45), live)).toBe(true);
    // Inside what the timeline holds, the window is not the older history it would add.
    expect(windowJoinsTimeline(windowPages(45, 55), live)).toBe(false);
    // The timeline lacks 46..49 (a hole a gap fill is closing): joining would drop the window's copies.
    const withHole = pages(page([...run(41, 45), ...run(50, 60)], true));
    expect(windowJoinsTimeline(windowPages(10, 48), withHole)).toBe(false);
    expect(windowJoinsTimeline(undefined, live)).toBe(false);
    expect(windowJoinsTimeline(windowPages(10, 40), undefined)).toBe(false);
  });

  it('becomes the oldest page of the timeline it joins, so older pages load from below it and nothing is shown twice', () => {
    const sending = pending(1, 'still sending');
    const live = addPendingMessage(pages(page(run(51, 60), true)), sending) as MessagePages;
    const window = windowPages(20, 55, { hasOlder: true });
    const joined = joinWindow(live, window);
    expect(seqs(flattenMessagePages(joined).filter((message) => message.status === 'delivered'))).toEqual(run(20, 60).map((message) => message.seq));
    // The pending message stays at the live end; catch-up still starts at the live end.
    expect(flattenMessagePages(joined).at(-1)).toMatchObject({ clientMessageId: sending.clientMessageId, status: 'sending' });
    expect(joined.pages[0]).toBe(live.pages[0]);
    expect(contiguousSeq(joined)).toBe(60);
    expect(hasHole(joined)).toBe(false);
    // Older history continues below the window's oldest message.
    expect(joined.pages.at(-1)?.hasMore).toBe(true);
    expect(lowestSeq(joined)).toBe(20);
    expect(joined.pageParams).toHaveLength(joined.pages.length);
    // Joining again adds nothing.
    expect(joinWindow(joined, window)).toBe(joined);
  });
});
