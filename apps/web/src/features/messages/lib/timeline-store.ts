import { type Message, MESSAGE_PAGE_MAX, type ReceiptCountEvent, SYNC_MAX_CONVERSATIONS, type ThreadRepliesPage, type ThreadUpdatedEvent } from '@chat/shared';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { patchQueryData } from '../../../lib/query-cache';
import type { ChatSocketService } from '../../../lib/socket';
import { messageKeys } from '../api/message-keys';
import { messagesApi } from '../api/messages-api';
import { messageTimelineOptions, messageWindowOptions } from '../api/use-messages';
import { readCountOptions } from '../api/use-read-count';
import {
  addPendingMessage,
  applyMessages,
  type ChatMessage,
  contiguousSeq,
  hasHole,
  joinWindow,
  type MessagePages,
  patchMessage,
  removePendingMessage,
  type SendFailure,
  updateHeldMessages,
  windowJoinsTimeline,
  withPendingMessages,
} from './message-cache';

/**
 * Every write to the timelines' caches from outside their queries (socket events, the catch-up
 * protocol, the outbox, mutations) goes through these. A window opened around an old message
 * (a jump) only gets edits and deletes of the messages it holds: everything that keeps delivery
 * whole (new and pending messages, contiguousSeq, the catch-up) is the live timeline's alone.
 */

/** Safety stop for a catch-up that keeps saying hasMore (10 000 messages at 100 a round). */
const MAX_SYNC_ROUNDS = 100;

const timelineKey = (conversationId: string) => messageTimelineOptions(conversationId).queryKey;

/** A conversation's cached timeline, if it is cached at all. */
export function cachedTimeline(queryClient: QueryClient, conversationId: string): MessagePages | undefined {
  return queryClient.getQueryData(timelineKey(conversationId));
}

/** The conversations whose timelines are cached. */
export function cachedTimelineIds(queryClient: QueryClient): string[] {
  const prefix = messageKeys.lists();
  return queryClient
    .getQueryCache()
    .findAll({ queryKey: prefix })
    .map((query) => query.queryKey[prefix.length])
    .filter((id): id is string => typeof id === 'string' && id.length > 0);
}

/** The keys of a conversation's cached windows. */
function windowKeys(queryClient: QueryClient, conversationId: string) {
  const prefix = messageKeys.windows(conversationId);
  return queryClient
    .getQueryCache()
    .findAll({ queryKey: prefix })
    .map((query) => query.queryKey[prefix.length])
    .filter((seq): seq is number => typeof seq === 'number')
    .map((seq) => messageWindowOptions(conversationId, seq).queryKey);
}

/** The user lost the conversation: its timeline goes, and any window of it. */
export function forgetTimeline(queryClient: QueryClient, conversationId: string) {
  queryClient.removeQueries({ queryKey: timelineKey(conversationId) });
  queryClient.removeQueries({ queryKey: messageKeys.windows(conversationId) });
}

/** Puts server messages into a conversation's cached timeline, if it is cached at all (and their edits into its windows). */
export function storeMessages(queryClient: QueryClient, conversationId: string, messages: readonly Message[], meta?: { syncedAt?: string; lastSeq?: number }) {
  patchQueryData(queryClient, timelineKey(conversationId), (data) => applyMessages(data, messages, meta));
  for (const key of windowKeys(queryClient, conversationId)) patchQueryData(queryClient, key, (data) => updateHeldMessages(data, messages));
}

/** `thread:updated`: the root's "N replies" line moves wherever the root is held (timeline, windows, its thread panel). */
export function recordThreadSummary(queryClient: QueryClient, { conversationId, rootId, thread }: ThreadUpdatedEvent) {
  const update = (data: MessagePages | undefined) =>
    patchMessage(
      data,
      (message) => message.id === rootId,
      (message) => ({ ...message, thread }),
    );
  patchQueryData(queryClient, timelineKey(conversationId), update);
  for (const key of windowKeys(queryClient, conversationId)) patchQueryData(queryClient, key, update);
  queryClient.setQueryData<InfiniteData<ThreadRepliesPage>>(
    messageKeys.thread(conversationId, rootId),
    (data) => data && { ...data, pages: data.pages.map((page) => ({ ...page, root: { ...page.root, thread } })) },
  );
}

/** `message:deleted`: the message keeps its place, without content, at the server's time. */
export function markMessageDeleted(queryClient: QueryClient, conversationId: string, messageId: string, deletedAt: string) {
  const update = (data: MessagePages | undefined) =>
    patchMessage(
      data,
      (message) => message.id === messageId,
      (message) => ({ ...message, content: '', deletedAt, updatedAt: deletedAt > message.updatedAt ? deletedAt : message.updatedAt }),
    );
  patchQueryData(queryClient, timelineKey(conversationId), update);
  for (const key of windowKeys(queryClient, conversationId)) patchQueryData(queryClient, key, update);
}

/**
 * Changes one held message wherever it is cached (timeline and windows). `once`: a local change
 * (an optimistic reaction) that must not be applied again after a fetch in flight lands.
 */
export function updateHeldMessage(
  queryClient: QueryClient,
  conversationId: string,
  messageId: string,
  update: (message: ChatMessage) => ChatMessage,
  { once = false } = {},
) {
  const apply = (data: MessagePages | undefined) => patchMessage(data, (message) => message.id === messageId, update);
  for (const key of [timelineKey(conversationId), ...windowKeys(queryClient, conversationId)]) {
    if (once) queryClient.setQueryData(key, apply);
    else patchQueryData(queryClient, key, apply);
  }
}

/** This user deleted it: shown at once; the 'message:deleted' event brings the server's time. */
export function showDeletedAtOnce(queryClient: QueryClient, conversationId: string, messageId: string) {
  const deletedAt = new Date().toISOString();
  const update = (data: MessagePages | undefined) =>
    patchMessage(
      data,
      (message) => message.id === messageId,
      (message) => (message.deletedAt ? message : { ...message, content: '', deletedAt }),
    );
  queryClient.setQueryData(timelineKey(conversationId), update);
  for (const key of windowKeys(queryClient, conversationId)) queryClient.setQueryData(key, update);
}

/**
 * When the window around `aroundSeq` has reached the live timeline's oldest loaded message, its
 * history becomes the timeline's oldest page (see joinWindow) and the window is no longer needed.
 * Returns whether it joined.
 */
export function joinWindowToTimeline(queryClient: QueryClient, conversationId: string, aroundSeq: number): boolean {
  const window = queryClient.getQueryData(messageWindowOptions(conversationId, aroundSeq).queryKey);
  if (!window || !windowJoinsTimeline(window, cachedTimeline(queryClient, conversationId))) return false;
  // A page of older history may be loading meanwhile: patchQueryData applies it again after it.
  patchQueryData(queryClient, timelineKey(conversationId), (data) => (data ? joinWindow(data, window) : data));
  return true;
}

/** An optimistic message (or the failed copy being retried) shows at once on the latest page. */
export function showPendingMessage(queryClient: QueryClient, message: ChatMessage) {
  queryClient.setQueryData(timelineKey(message.conversationId), (data) => addPendingMessage(data, message));
}

/** Takes an unsent message out of the timeline (Delete on a failed message). */
export function dropPendingMessage(queryClient: QueryClient, message: ChatMessage) {
  queryClient.setQueryData(timelineKey(message.conversationId), (data) => removePendingMessage(data, message.senderId, message.clientMessageId));
}

/** Shows unsent messages the timeline does not hold yet; writes only when something was missing. */
export function showUnsentMessages(queryClient: QueryClient, conversationId: string, pending: readonly ChatMessage[]) {
  const data = cachedTimeline(queryClient, conversationId);
  const next = withPendingMessages(data, pending);
  // Writing the same data back would notify the cache's listeners (and so this caller) again.
  if (next !== data) queryClient.setQueryData(timelineKey(conversationId), next);
}

/** A message on its way turned 'sending' again, or 'failed'. */
export function setPendingStatus(
  queryClient: QueryClient,
  entry: { conversationId: string; clientMessageId: string; senderId: string },
  patch: { status: 'sending' | 'failed'; failure?: SendFailure },
) {
  queryClient.setQueryData(timelineKey(entry.conversationId), (data) =>
    patchMessage(
      data,
      (message) => message.clientMessageId === entry.clientMessageId && message.senderId === entry.senderId && message.status !== 'delivered',
      (message) => ({ ...message, status: patch.status, failure: patch.failure }),
    ),
  );
}

/** The latest 'receipt:count' of a large group wins, not the last to arrive. */
export function recordReadCount(queryClient: QueryClient, event: ReceiptCountEvent) {
  queryClient.setQueryData(readCountOptions(event.conversationId).queryKey, (current) => (current && current.seq > event.seq ? current : event));
}

/** One gap fill per conversation at a time; a request made meanwhile runs once it is done. */
const gapFills = new Map<string, { promise: Promise<void>; again: boolean }>();

/**
 * Fetches everything after the contiguous mark (a lost fan-out, a held send stored above a hole,
 * a delete of a message we never got), until nothing is missing below the newest message held.
 */
export function fillGap(queryClient: QueryClient, conversationId: string): Promise<void> {
  const running = gapFills.get(conversationId);
  if (running) {
    running.again = true;
    return running.promise;
  }
  const state = { promise: Promise.resolve(), again: false };
  state.promise = (async () => {
    try {
      for (let round = 0; round < MAX_SYNC_ROUNDS; round += 1) {
        state.again = false;
        const data = cachedTimeline(queryClient, conversationId);
        if (!data) return;
        const page = await messagesApi.history(conversationId, { afterSeq: contiguousSeq(data), limit: MESSAGE_PAGE_MAX });
        storeMessages(queryClient, conversationId, page.messages, { lastSeq: page.lastSeq });
        const after = cachedTimeline(queryClient, conversationId);
        if (!state.again && !page.hasMore && !hasHole(after)) return;
        if (page.messages.length === 0 && !state.again) return;
      }
    } finally {
      gapFills.delete(conversationId);
    }
  })();
  gapFills.set(conversationId, state);
  return state.promise;
}

/**
 * The catch-up protocol: for every conversation with a cached timeline, ask for what came after
 * the contiguous mark (never the highest seq seen: a held send stored on reconnect, or a live
 * message after a lost one, sits above a hole) and for edits/deletes since the last catch-up;
 * repeat while hasMore.
 */
export async function catchUp(queryClient: QueryClient, socket: Pick<ChatSocketService, 'sync'>): Promise<void> {
  let pending = cachedTimelineIds(queryClient)
    .flatMap((conversationId) => {
      const data = cachedTimeline(queryClient, conversationId);
      const latest = data?.pages[0];
      if (!latest) return [];
      return [{ conversationId, afterSeq: contiguousSeq(data), updatedSince: latest.syncedAt }];
    })
    .slice(0, SYNC_MAX_CONVERSATIONS);

  for (let round = 0; pending.length > 0 && round < MAX_SYNC_ROUNDS; round += 1) {
    const result = await socket.sync({ conversations: pending });
    const next: typeof pending = [];
    for (const page of result.conversations) {
      storeMessages(queryClient, page.conversationId, [...page.messages, ...page.updates], { syncedAt: page.syncedAt, lastSeq: page.lastSeq });
      const data = cachedTimeline(queryClient, page.conversationId);
      if (data && page.hasMore && page.messages.length > 0)
        next.push({ conversationId: page.conversationId, afterSeq: contiguousSeq(data), updatedSince: page.syncedAt });
    }
    pending = next;
  }
}
