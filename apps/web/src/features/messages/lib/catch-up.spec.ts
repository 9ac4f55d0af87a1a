import type { Message, SyncEvent } from '@chat/shared';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { messageTimelineOptions } from '../api/use-messages';
import { addPendingMessage, applyMessages, flattenMessagePages, type MessagePages, toChatMessage } from './message-cache';
import { CONVERSATION, idOf, makeMessage, SENDER, sentBy } from './message-fixtures';
import { toPendingMessage } from './outbox';
import { catchUp } from './timeline-store';

const A = '00000000-0000-4000-8000-0000000000a1';
const B = SENDER;
const HELD = idOf('d', 1);

const message = (seq: number, senderId = B, clientMessageId = idOf('2', seq)): Message =>
  makeMessage(seq, { ...sentBy(senderId, senderId === A ? 'A' : 'B'), clientMessageId });

describe("catch-up after a reconnect (the issue's scenario)", () => {
  it("asks for what follows the contiguous mark, so B's messages sent while A was offline appear even though A's held send was stored first", async () => {
    // Server: 1..5 before the drop, B's 6, 7, 8 while A was offline, then A's held message as 9.
    const server = [1, 2, 3, 4, 5, 6, 7, 8].map((seq) => message(seq)).concat(message(9, A, HELD));
    const queryClient = new QueryClient();
    const key = messageTimelineOptions(CONVERSATION).queryKey;
    const loaded: MessagePages = {
      pages: [{ messages: server.slice(0, 5).map(toChatMessage), hasMore: false, lastSeq: 5, syncedAt: '2025-05-14T12:00:05.000Z' }],
      pageParams: [null],
    };
    const written = toPendingMessage({
      clientMessageId: HELD,
      conversationId: CONVERSATION,
      content: 'message 9',
      senderId: A,
      senderName: 'A',
      createdAt: '2025-05-14T12:01:00.000Z',
    });
    queryClient.setQueryData(key, addPendingMessage(loaded, written));
    // Back online: the outbox resends the held message and its ack arrives before any catch-up.
    queryClient.setQueryData(key, (data) => applyMessages(data, [server[8]!]));

    const asked: number[] = [];
    const socket = {
      sync: async ({ conversations }: SyncEvent) => ({
        conversations: conversations.map(({ conversationId, afterSeq }) => {
          asked.push(afterSeq);
          return {
            conversationId,
            messages: server.filter((m) => m.seq > afterSeq),
            updates: [],
            hasMore: false,
            lastSeq: 9,
            syncedAt: '2025-05-14T12:02:00.000Z',
          };
        }),
      }),
    };
    await catchUp(queryClient, socket);

    expect(asked).toEqual([5]);
    const timeline = flattenMessagePages(queryClient.getQueryData(key));
    expect(timeline.map((m) => [m.seq, m.senderId === A ? 'A' : 'B', m.status])).toEqual([
      [1, 'B', 'delivered'],
      [2, 'B', 'delivered'],
      [3, 'B', 'delivered'],
      [4, 'B', 'delivered'],
      [5, 'B', 'delivered'],
      [6, 'B', 'delivered'],
      [7, 'B', 'delivered'],
      [8, 'B', 'delivered'],
      [9, 'A', 'delivered'],
    ]);
  });
});
