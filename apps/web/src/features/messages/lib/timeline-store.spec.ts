import type { SyncEvent } from '@chat/shared';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { messageTimelineOptions, messageWindowOptions } from '../api/use-messages';
import { addPendingMessage, type ChatMessagePage, flattenMessagePages, type MessagePages, toChatMessage } from './message-cache';
import { CONVERSATION, idOf, makeMessage as message } from './message-fixtures';
import { toPendingMessage } from './outbox';
import { cachedTimeline, catchUp, forgetTimeline, joinWindowToTimeline, markMessageDeleted, storeMessages } from './timeline-store';

const A = '00000000-0000-4000-8000-0000000000a1';

const run = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => message(from + index));

function page(from: number, to: number, extra: Partial<ChatMessagePage> = {}): ChatMessagePage {
  return { messages: run(from, to).map(toChatMessage), hasMore: from > 1, lastSeq: 200, syncedAt: '2025-05-14T12:10:00.000Z', ...extra };
}

const liveKey = messageTimelineOptions(CONVERSATION).queryKey;
const WINDOW_AT = 30;
const windowKey = messageWindowOptions(CONVERSATION, WINDOW_AT).queryKey;
const sending = toPendingMessage({
  clientMessageId: idOf('3', 1),
  conversationId: CONVERSATION,
  content: 'on its way',
  senderId: A,
  senderName: 'A',
  createdAt: '2025-05-14T12:20:00.000Z',
});

/** The live timeline (151..200 and a message being sent) with a window around 30 (10..49) open beside it. */
function withWindow(): QueryClient {
  const queryClient = new QueryClient();
  const live: MessagePages = { pages: [page(151, 200)], pageParams: [null] };
  queryClient.setQueryData(liveKey, addPendingMessage(live, sending));
  queryClient.setQueryData(windowKey, { pages: [page(10, 49, { hasNewer: true })], pageParams: [{ aroundSeq: WINDOW_AT }] });
  return queryClient;
}

const seqsOf = (data: MessagePages | undefined) => flattenMessagePages(data).map((item) => item.seq);

describe('the timeline store with a window open', () => {
  it('puts new messages in the live timeline only, and edits wherever the message is shown', () => {
    const queryClient = withWindow();
    const edited = { ...message(20), content: 'fixed', editedAt: '2025-05-14T12:30:00.000Z', updatedAt: '2025-05-14T12:30:00.000Z' };
    storeMessages(queryClient, CONVERSATION, [message(201), edited]);
    expect(seqsOf(cachedTimeline(queryClient, CONVERSATION)).at(-2)).toBe(201);
    expect(seqsOf(queryClient.getQueryData(windowKey))).toEqual(run(10, 49).map((item) => item.seq));
    expect(flattenMessagePages(queryClient.getQueryData(windowKey)).find((item) => item.seq === 20)?.content).toBe('fixed');
    // The message being sent stays at the live end.
    expect(flattenMessagePages(cachedTimeline(queryClient, CONVERSATION)).at(-1)).toMatchObject({
      clientMessageId: sending.clientMessageId,
      status: 'sending',
    });

    markMessageDeleted(queryClient, CONVERSATION, message(21).id, '2025-05-14T12:40:00.000Z');
    expect(flattenMessagePages(queryClient.getQueryData(windowKey)).find((item) => item.seq === 21)).toMatchObject({
      content: '',
      deletedAt: '2025-05-14T12:40:00.000Z',
    });
  });

  it('catches up from the live end, whatever window is open', async () => {
    const queryClient = withWindow();
    const asked: number[] = [];
    const socket = {
      sync: async ({ conversations }: SyncEvent) => ({
        conversations: conversations.map(({ conversationId, afterSeq }) => {
          asked.push(afterSeq);
          return { conversationId, messages: [message(201)], updates: [], hasMore: false, lastSeq: 201, syncedAt: '2025-05-14T12:50:00.000Z' };
        }),
      }),
    };
    await catchUp(queryClient, socket);
    expect(asked).toEqual([200]);
    expect(seqsOf(queryClient.getQueryData(windowKey)).at(-1)).toBe(49);
  });

  it('joins the window to the live timeline once its newer pages reach it, keeping the message being sent', () => {
    const queryClient = withWindow();
    expect(joinWindowToTimeline(queryClient, CONVERSATION, WINDOW_AT)).toBe(false);
    queryClient.setQueryData(
      windowKey,
      (data) => data && { pages: [page(50, 150, { hasNewer: true }), ...data.pages], pageParams: [{ afterSeq: 49 }, ...data.pageParams] },
    );
    expect(joinWindowToTimeline(queryClient, CONVERSATION, WINDOW_AT)).toBe(true);
    const joined = flattenMessagePages(cachedTimeline(queryClient, CONVERSATION));
    expect(joined.filter((item) => item.status === 'delivered').map((item) => item.seq)).toEqual(run(10, 200).map((item) => item.seq));
    expect(joined.at(-1)).toMatchObject({ clientMessageId: sending.clientMessageId, status: 'sending' });
  });

  it('forgets the windows of a conversation the user lost', () => {
    const queryClient = withWindow();
    forgetTimeline(queryClient, CONVERSATION);
    expect(queryClient.getQueryData(windowKey)).toBeUndefined();
    expect(cachedTimeline(queryClient, CONVERSATION)).toBeUndefined();
  });
});
