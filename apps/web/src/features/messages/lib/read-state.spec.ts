import type { Participant } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './message-cache';
import { makeMessage, sentBy } from './message-fixtures';
import { computeReadInfo, readersOf } from './read-state';

const ME = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b1';
const CAROL = '00000000-0000-4000-8000-0000000000c1';

function participant(id: string, lastReadSeq: number | null): Participant {
  return { user: { id, displayName: id }, role: 'member', joinedAt: '2025-05-14T12:00:00.000Z', lastReadSeq };
}

const mine = (seq: number): ChatMessage => ({ ...makeMessage(seq, sentBy(ME, 'Me')), status: 'delivered' });

describe('computeReadInfo', () => {
  it('direct chat: read up to the peer marker', () => {
    const info = computeReadInfo([mine(1), mine(2), mine(3)], [participant(ME, 3), participant(BOB, 2)], ME, false, 2, undefined);
    expect([...info.readIds]).toEqual([mine(1).id, mine(2).id]);
    expect(info.latestOwn).toBeNull();
  });

  it('a peer hiding receipts never shows a double check', () => {
    const info = computeReadInfo([mine(1)], [participant(ME, 1), participant(BOB, null)], ME, false, 2, undefined);
    expect(info.readIds.size).toBe(0);
  });

  it('small group: counts readers of my latest message from the markers', () => {
    const participants = [participant(ME, 5), participant(BOB, 5), participant(CAROL, 4)];
    const info = computeReadInfo([mine(4), mine(5)], participants, ME, true, 3, undefined);
    expect(info.latestOwn).toEqual({ id: mine(5).id, count: 1 });
    expect([...info.readIds]).toEqual([mine(4).id]);
    expect(readersOf(participants, ME, 4)).toBe(2);
  });

  it('keeps "Read by" on my latest message, not on a change I made to the group after it', () => {
    const participants = [participant(ME, 6), participant(BOB, 6), participant(CAROL, 4)];
    const renamed: ChatMessage = { ...mine(6), contentType: 'system', system: { kind: 'renamed', title: 'New', previousTitle: 'Old' } };
    const info = computeReadInfo([mine(4), mine(5), renamed], participants, ME, true, 3, undefined);
    expect(info.latestOwn).toEqual({ id: mine(5).id, count: 1 });
    expect(info.readIds.has(renamed.id)).toBe(false);
  });

  it('large group: the batched count of a message at or after mine wins when higher', () => {
    const participants = [participant(ME, 5), participant(BOB, 0)];
    const event = { conversationId: mine(5).conversationId, messageId: mine(5).id, seq: 5, count: 7 };
    expect(computeReadInfo([mine(5)], participants, ME, true, 12, event).latestOwn?.count).toBe(7);
    expect(computeReadInfo([mine(5)], participants, ME, true, 12, { ...event, seq: 4 }).latestOwn?.count).toBe(0);
  });
});
