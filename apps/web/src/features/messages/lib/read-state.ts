import type { Participant, ReceiptCountEvent } from '@chat/shared';
import { RECEIPT_BATCH_THRESHOLD } from '@chat/shared';
import type { ChatMessage } from './message-cache';

/** How many of the others have read up to `seq` (participants who hide receipts never count). */
export function readersOf(participants: readonly Participant[], senderId: string, seq: number): number {
  return participants.filter((participant) => participant.user.id !== senderId && participant.lastReadSeq !== null && participant.lastReadSeq >= seq).length;
}

export interface ReadInfo {
  /** Own message ids the others have read (double check). */
  readIds: Set<string>;
  /** The latest own stored message and how many have read it (groups only). */
  latestOwn: { id: string; count: number } | null;
}

/**
 * Read state of one's own messages. Direct chats: read once the peer's marker reaches the seq.
 * Groups: read once every other participant showing receipts has; the latest own message also gets
 * a "Read by N", from 'receipt:count' in large groups (batched) or the markers in small ones.
 */
export function computeReadInfo(
  messages: readonly ChatMessage[],
  participants: readonly Participant[],
  currentUserId: string | undefined,
  isGroup: boolean,
  participantCount: number,
  batchedCount: ReceiptCountEvent | undefined,
): ReadInfo {
  const readIds = new Set<string>();
  const others = participants.filter((participant) => participant.user.id !== currentUserId);
  const countable = others.filter((participant) => participant.lastReadSeq !== null);
  const everyoneReadUpTo = countable.length === 0 ? 0 : Math.min(...countable.map((participant) => participant.lastReadSeq ?? 0));
  let latestOwn: ChatMessage | undefined;
  for (const message of messages) {
    // A change I made to the group is no message of mine to be read: "Read by" stays on my last words.
    if (message.senderId !== currentUserId || message.status !== 'delivered' || message.contentType === 'system') continue;
    latestOwn = message;
    if (countable.length > 0 && everyoneReadUpTo >= message.seq) readIds.add(message.id);
  }
  if (!isGroup || !latestOwn) return { readIds, latestOwn: null };
  let count = readersOf(participants, latestOwn.senderId, latestOwn.seq);
  // A newer message read by N means the older one was too (markers cover everything up to them).
  if (participantCount >= RECEIPT_BATCH_THRESHOLD && batchedCount && batchedCount.seq >= latestOwn.seq) count = Math.max(count, batchedCount.count);
  return { readIds, latestOwn: { id: latestOwn.id, count } };
}
