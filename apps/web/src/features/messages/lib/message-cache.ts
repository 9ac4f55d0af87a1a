import type { Message, MessagePage } from '@chat/shared';
import type { InfiniteData } from '@tanstack/react-query';

export type DeliveryStatus = 'sending' | 'delivered' | 'failed';

export interface SendFailure {
  code: string;
  message: string;
  /** Seconds, with RATE_LIMITED. */
  retryAfter?: number;
}

/**
 * A message as the timeline holds it. Ones still on their way have no server id or seq yet: they
 * use their clientMessageId as id and seq 0, and sort after every stored message.
 */
export type ChatMessage = Message & { status: DeliveryStatus; failure?: SendFailure };

export type ChatMessagePage = Omit<MessagePage, 'messages' | 'updates'> & { messages: ChatMessage[]; updates?: Message[] };

/** pages[0] is the latest page (and takes everything new); later pages go back in time. */
export type MessagePages = InfiniteData<ChatMessagePage, number | null>;

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
      result[index] = toChatMessage(message);
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

/** The whole loaded timeline, oldest first, each message once. */
export function flattenMessagePages(data: Pick<MessagePages, 'pages'> | undefined): ChatMessage[] {
  if (!data) return [];
  const seen = new Set<string>();
  const result: ChatMessage[] = [];
  for (let i = data.pages.length - 1; i >= 0; i -= 1) {
    for (const message of data.pages[i]?.messages ?? []) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      result.push(message);
    }
  }
  return sortMessages(result);
}

/** Highest stored seq held for the conversation (0 when none): the catch-up's afterSeq. */
export function highestSeq(data: Pick<MessagePages, 'pages'> | undefined): number {
  let max = 0;
  for (const page of data?.pages ?? []) for (const message of page.messages) if (!isPending(message) && message.seq > max) max = message.seq;
  return max;
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
 * join the latest page. `syncedAt`/`lastSeq` come with a catch-up answer and are kept for the next one.
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
  for (const message of incoming) {
    const index = where.get(message.id) ?? where.get(`${message.senderId}:${message.clientMessageId}`);
    if (index === undefined || index === 0) fresh.push(message);
    else located.set(String(index), [...(located.get(String(index)) ?? []), message]);
  }
  return mapPages(data, (page, index) => {
    const forPage = index === 0 ? fresh : (located.get(String(index)) ?? []);
    const messages = mergeMessages(page.messages, forPage);
    const metaChanged =
      index === 0 &&
      ((meta.syncedAt !== undefined && meta.syncedAt !== page.syncedAt) || (meta.lastSeq !== undefined && meta.lastSeq > page.lastSeq));
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
  const exists = data.pages.some((page) => page.messages.some((item) => item.clientMessageId === message.clientMessageId && item.senderId === message.senderId));
  if (exists) {
    return patchMessage(
      data,
      (item) => item.clientMessageId === message.clientMessageId && item.senderId === message.senderId,
      (item) => (isPending(item) ? { ...item, status: message.status, failure: undefined } : item),
    );
  }
  return mapPages(data, (page, index) => (index === 0 ? { ...page, messages: [...page.messages, message] } : page));
}

/** Seq numbers are gapless per conversation: anything between what we hold and `seq` is missing. */
export function hasGapBefore(data: Pick<MessagePages, 'pages'> | undefined, seq: number): boolean {
  const held = highestSeq(data);
  return held > 0 && seq > held + 1;
}
