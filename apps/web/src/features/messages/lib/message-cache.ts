import type { Message, MessagePage } from '@chat/shared';
import type { InfiniteData } from '@tanstack/react-query';
import { mergeReactions } from './reactions';

export type DeliveryStatus = 'sending' | 'delivered' | 'failed';

export interface SendFailure {
  code: string;
  message: string;
  /** Seconds, with RATE_LIMITED. */
  retryAfter?: number;
  /** With RATE_LIMITED: when (epoch ms) it is sent again by itself. */
  retryAt?: number;
}

/**
 * A message as the timeline holds it. Ones still on their way have no server id or seq yet: they
 * use their clientMessageId as id and seq 0, and sort after every stored message.
 */
export type ChatMessage = Message & { status: DeliveryStatus; failure?: SendFailure };

export type ChatMessagePage = Omit<MessagePage, 'messages' | 'updates' | 'hasMoreAfter'> & {
  messages: ChatMessage[];
  updates?: Message[];
  /**
   * Newer messages exist past this page: set on the pages of a window opened around an old message
   * (the first one, and the newer ones loaded after it) until one reaches the live end.
   */
  hasNewer?: boolean;
};

/**
 * pages[0] is the latest page (and takes everything new); later pages go back in time (param: beforeSeq).
 * A window opened around an old message has the same shape: its pages[0] is its newest page, and
 * newer ones (param: afterSeq) go in front of it.
 */
export type MessagePages = InfiniteData<ChatMessagePage>;

export const isPending = (message: ChatMessage) => message.status !== 'delivered';

export function toChatMessage(message: Message): ChatMessage {
  return { ...message, status: 'delivered' };
}

/** Stored messages by seq; pending ones after them in the order they were written. */
export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  const pa = isPending(a);
  const pb = isPending(b);
  if (pa !== pb) return pa ? 1 : -1;
  if (pa) return a.createdAt.localeCompare(b.createdAt);
  return a.seq - b.seq;
}

/** Later edits win; a delete always wins (it cannot be undone). */
function newer(current: ChatMessage, incoming: Message): boolean {
  if (current.deletedAt && !incoming.deletedAt) return false;
  if (incoming.deletedAt && !current.deletedAt) return true;
  return incoming.updatedAt >= current.updatedAt;
}

/**
 * Merges server messages into a list: matched by id, or by clientMessageId + sender for the
 * optimistic copy they confirm (so a message is never shown twice, whatever order the ack, the
 * echo to another tab and a catch-up arrive in). Returns the same array when nothing changed.
 */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly Message[]): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[];
  const byId = new Map<string, number>();
  const byClientId = new Map<string, number>();
  existing.forEach((message, index) => {
    byId.set(message.id, index);
    byClientId.set(`${message.senderId}:${message.clientMessageId}`, index);
  });
  const result = [...existing];
  let changed = false;
  for (const message of incoming) {
    const index = byId.get(message.id) ?? byClientId.get(`${message.senderId}:${message.clientMessageId}`);
    if (index === undefined) {
      byId.set(message.id, result.length);
      byClientId.set(`${message.senderId}:${message.clientMessageId}`, result.length);
      result.push(toChatMessage(message));
      changed = true;
      continue;
    }
    const current = result[index] as ChatMessage;
    if (isPending(current) || newer(current, message)) {
      if (!isPending(current) && sameMessage(current, message)) continue;
      byId.set(message.id, index);
      result[index] = toChatMessage(isPending(current) ? message : mergeReactions(current, message));
      changed = true;
    }
  }
  return changed ? sortMessages(result) : (existing as ChatMessage[]);
}

function sameMessage(a: ChatMessage, b: Message): boolean {
  return a.id === b.id && a.updatedAt === b.updatedAt && a.content === b.content && a.deletedAt === b.deletedAt && a.seq === b.seq;
}

export function sortMessages(messages: ChatMessage[]): ChatMessage[] {
  return messages.sort(compareMessages);
}

/**
 * The whole loaded timeline, oldest first, each message once. A message can sit on two pages (a
 * live edit of it arrived before its older page did): the newest version wins.
 */
export function flattenMessagePages(data: Pick<MessagePages, 'pages'> | undefined): ChatMessage[] {
  if (!data) return [];
  const byId = new Map<string, ChatMessage>();
  for (let i = data.pages.length - 1; i >= 0; i -= 1) {
    for (const message of data.pages[i]?.messages ?? []) {
      const current = byId.get(message.id);
      if (!current || (!isPending(message) && (isPending(current) || newer(current, message)))) byId.set(message.id, message);
    }
  }
  return sortMessages([...byId.values()]);
}

/** Highest stored seq held for the conversation (0 when none). Not where a catch-up starts: see contiguousSeq. */
export function highestSeq(data: Pick<MessagePages, 'pages'> | undefined): number {
  let max = 0;
  for (const page of data?.pages ?? []) for (const message of page.messages) if (!isPending(message) && message.seq > max) max = message.seq;
  return max;
}

/**
 * The highest seq up to which the cache holds EVERY message: from the oldest loaded one upward with
 * no hole (seqs are gapless on the server). A message beyond a hole (a resent message's ack, a live
 * event after a lost one) is kept but does not move it. Catch-up asks for what follows it, and
 * sends carry it as `readUpToSeq`.
 */
export function contiguousSeq(data: Pick<MessagePages, 'pages'> | undefined): number {
  const seqs = new Set<number>();
  for (const page of data?.pages ?? []) for (const message of page.messages) if (!isPending(message)) seqs.add(message.seq);
  if (seqs.size === 0) return 0;
  let seq = Math.min(...seqs);
  while (seqs.has(seq + 1)) seq += 1;
  return seq;
}

/** Something above the contiguous mark is held: a catch-up must fill the hole below it. */
export function hasHole(data: Pick<MessagePages, 'pages'> | undefined): boolean {
  return highestSeq(data) > contiguousSeq(data);
}

/** Lowest stored seq loaded: where the next older page starts. */
export function lowestSeq(data: Pick<MessagePages, 'pages'>): number | null {
  let min: number | null = null;
  for (const page of data.pages) for (const message of page.messages) if (!isPending(message) && (min === null || message.seq < min)) min = message.seq;
  return min;
}

function mapPages(data: MessagePages, map: (page: ChatMessagePage, index: number) => ChatMessagePage): MessagePages {
  let changed = false;
  const pages = data.pages.map((page, index) => {
    const next = map(page, index);
    if (next !== page) changed = true;
    return next;
  });
  return changed ? { ...data, pages } : data;
}

/**
 * Applies server messages to the cached timeline: known ones are replaced where they are, new ones
 * join the latest page, ones older than the oldest loaded page are left to that page. `syncedAt`/`lastSeq` come with a catch-up answer and are kept for the next one.
 */
export function applyMessages(
  data: MessagePages | undefined,
  incoming: readonly Message[],
  meta: { syncedAt?: string; lastSeq?: number } = {},
): MessagePages | undefined {
  if (!data || data.pages.length === 0) return data;
  const located = new Map<string, Message[]>();
  const fresh: Message[] = [];
  const where = new Map<string, number>();
  data.pages.forEach((page, index) => {
    for (const message of page.messages) {
      where.set(message.id, index);
      where.set(`${message.senderId}:${message.clientMessageId}`, index);
    }
  });
  // Older than anything loaded (an edit or delete of history not scrolled to): its page brings it.
  const lowest = lowestSeq(data);
  for (const message of incoming) {
    const index = where.get(message.id) ?? where.get(`${message.senderId}:${message.clientMessageId}`);
    if (index === undefined && lowest !== null && message.seq < lowest) continue;
    if (index === undefined || index === 0) fresh.push(message);
    else located.set(String(index), [...(located.get(String(index)) ?? []), message]);
  }
  return mapPages(data, (page, index) => {
    const forPage = index === 0 ? fresh : (located.get(String(index)) ?? []);
    const messages = mergeMessages(page.messages, forPage);
    const metaChanged =
      index === 0 && ((meta.syncedAt !== undefined && meta.syncedAt !== page.syncedAt) || (meta.lastSeq !== undefined && meta.lastSeq > page.lastSeq));
    if (messages === page.messages && !metaChanged) return page;
    return {
      ...page,
      messages,
      ...(index === 0 && meta.syncedAt !== undefined ? { syncedAt: meta.syncedAt } : {}),
      ...(index === 0 && meta.lastSeq !== undefined ? { lastSeq: Math.max(page.lastSeq, meta.lastSeq) } : {}),
    };
  });
}

/** Changes one message wherever it is (optimistic states, a delete event without the full message). */
export function patchMessage(
  data: MessagePages | undefined,
  match: (message: ChatMessage) => boolean,
  patch: (message: ChatMessage) => ChatMessage,
): MessagePages | undefined {
  if (!data) return data;
  return mapPages(data, (page) => {
    const index = page.messages.findIndex(match);
    if (index === -1) return page;
    const messages = [...page.messages];
    messages[index] = patch(messages[index] as ChatMessage);
    return { ...page, messages: sortMessages(messages) };
  });
}

/** Adds an optimistic message (or replaces the failed copy being retried) on the latest page. */
export function addPendingMessage(data: MessagePages | undefined, message: ChatMessage): MessagePages | undefined {
  if (!data || data.pages.length === 0) return data;
  const exists = data.pages.some((page) =>
    page.messages.some((item) => item.clientMessageId === message.clientMessageId && item.senderId === message.senderId),
  );
  if (exists) {
    return patchMessage(
      data,
      (item) => item.clientMessageId === message.clientMessageId && item.senderId === message.senderId,
      (item) => (isPending(item) ? { ...item, status: message.status, failure: undefined } : item),
    );
  }
  return mapPages(data, (page, index) => (index === 0 ? { ...page, messages: sortMessages([...page.messages, message]) } : page));
}

/** Takes an unsent message out of the timeline (Delete on a failed message). Stored ones stay. */
export function removePendingMessage(data: MessagePages | undefined, senderId: string, clientMessageId: string): MessagePages | undefined {
  if (!data) return data;
  return mapPages(data, (page) => {
    const messages = page.messages.filter((message) => !(isPending(message) && message.senderId === senderId && message.clientMessageId === clientMessageId));
    return messages.length === page.messages.length ? page : { ...page, messages };
  });
}

/**
 * Edits and deletes for a window opened around an old message: only messages it holds change.
 * New messages belong to the live timeline, never to a window.
 */
export function updateHeldMessages(data: MessagePages | undefined, incoming: readonly Message[]): MessagePages | undefined {
  if (!data || incoming.length === 0) return data;
  return mapPages(data, (page) => {
    const held = new Set(page.messages.map((message) => message.id));
    const messages = mergeMessages(
      page.messages,
      incoming.filter((message) => held.has(message.id)),
    );
    return messages === page.messages ? page : { ...page, messages };
  });
}

/**
 * A window has reached the live timeline: it ends next to (or inside) the live timeline's oldest
 * loaded message and starts below it, so together they are one gapless stretch of history.
 */
export function windowJoinsTimeline(window: Pick<MessagePages, 'pages'> | undefined, live: Pick<MessagePages, 'pages'> | undefined): boolean {
  if (!window || !live || live.pages.length === 0) return false;
  const windowLowest = lowestSeq(window);
  if (windowLowest === null) return false;
  const liveLowest = lowestSeq(live);
  // A live timeline with no stored message yet: the window joins it once it has reached the live end.
  if (liveLowest === null) return !window.pages[0]?.hasNewer;
  const windowHighest = highestSeq(window);
  // Where they overlap, the live timeline must hold all of it (no hole there), or the window's messages in the hole would go.
  return windowLowest < liveLowest && windowHighest + 1 >= liveLowest && contiguousSeq(live) >= windowHighest;
}

/**
 * The live timeline with a joined window's older messages as its oldest page, as if they had been
 * scrolled back to: the pages loading older history continue below them. Applying it twice changes nothing.
 */
export function joinWindow(live: MessagePages, window: Pick<MessagePages, 'pages'>): MessagePages {
  const liveLowest = lowestSeq(live);
  const older = flattenMessagePages(window).filter((message) => !isPending(message) && (liveLowest === null || message.seq < liveLowest));
  const oldestWindowPage = window.pages.at(-1);
  const newestWindowPage = window.pages[0];
  if (older.length === 0 || !oldestWindowPage || !newestWindowPage) return live;
  const page: ChatMessagePage = { messages: older, hasMore: oldestWindowPage.hasMore, lastSeq: newestWindowPage.lastSeq, syncedAt: newestWindowPage.syncedAt };
  // Its param is the beforeSeq that would have loaded it.
  return { pages: [...live.pages, page], pageParams: [...live.pageParams, liveLowest ?? highestSeq(window) + 1] };
}

/**
 * Seq numbers are gapless per conversation: a message at `seq` means everything between the
 * contiguous mark and it exists, so anything missing there must be fetched.
 */
export function hasGapBefore(data: Pick<MessagePages, 'pages'> | undefined, seq: number): boolean {
  if (!data || data.pages.length === 0) return false;
  return seq > contiguousSeq(data) + 1;
}

/** A stored message, or a pending one this cache shows, with this clientMessageId of this sender. */
export function holdsClientMessage(data: Pick<MessagePages, 'pages'> | undefined, senderId: string, clientMessageId: string): boolean {
  return (data?.pages ?? []).some((page) => page.messages.some((message) => message.senderId === senderId && message.clientMessageId === clientMessageId));
}

/**
 * Shows unsent messages (from the outbox, after a reload) that the timeline does not hold yet, in
 * the order they were written. One the server already stored (its ack was lost) is in the timeline
 * under its clientMessageId and is not added twice.
 */
export function withPendingMessages(data: MessagePages | undefined, pending: readonly ChatMessage[]): MessagePages | undefined {
  if (!data || data.pages.length === 0) return data;
  const missing = pending.filter((message) => !holdsClientMessage(data, message.senderId, message.clientMessageId));
  if (missing.length === 0) return data;
  return mapPages(data, (page, index) => (index === 0 ? { ...page, messages: sortMessages([...page.messages, ...missing]) } : page));
}

/**
 * The server's rule for a send's effect on the sender's read marker: it moves over the new message
 * only when the send claimed to hold everything before it (`readUpToSeq` >= seq - 1). What the
 * timeline holds when the ack arrives does not matter: a catch-up may have filled it meanwhile.
 */
export function sendMovedMarker(claimedReadUpToSeq: number | undefined, seq: number): boolean {
  return claimedReadUpToSeq === undefined || claimedReadUpToSeq >= seq - 1;
}
