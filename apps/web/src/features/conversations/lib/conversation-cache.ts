import {
  type Conversation,
  type ConversationDetail,
  type ConversationNotifications,
  type ConversationPage,
  type Message,
  MESSAGE_PREVIEW_LENGTH,
} from '@chat/shared';
import type { InfiniteData } from '@tanstack/react-query';

/** The sidebar's pages; each page's param is the keyset cursor it started at (null: the first). */
export type ConversationPages = InfiniteData<ConversationPage>;

/**
 * All loaded conversations in order. Keyset pages can overlap when a conversation moves between
 * fetching two pages, so later duplicates are dropped.
 */
export function flattenConversationPages(data: Pick<ConversationPages, 'pages'>): Conversation[] {
  const seen = new Set<string>();
  const result: Conversation[] = [];
  for (const page of data.pages) {
    for (const conversation of page.conversations) {
      if (seen.has(conversation.id)) continue;
      seen.add(conversation.id);
      result.push(conversation);
    }
  }
  return result;
}

/** The list entry for a detail response (the list does not carry participants). */
export function toConversation(detail: ConversationDetail | Conversation): Conversation {
  if (!('participants' in detail)) return detail;
  const { participants: _participants, ...conversation } = detail;
  return conversation;
}

export function findConversation(data: ConversationPages | undefined, id: string): Conversation | undefined {
  for (const page of data?.pages ?? []) {
    const found = page.conversations.find((conversation) => conversation.id === id);
    if (found) return found;
  }
  return undefined;
}

function mapPages(data: ConversationPages, map: (conversations: Conversation[]) => Conversation[]): ConversationPages {
  let changed = false;
  const pages = data.pages.map((page) => {
    const conversations = map(page.conversations);
    if (conversations === page.conversations) return page;
    changed = true;
    return { ...page, conversations };
  });
  return changed ? { ...data, pages } : data;
}

/** Drops a conversation (left, deleted, removed from it) from every loaded page. */
export function removeConversationFromPages(data: ConversationPages | undefined, id: string): ConversationPages | undefined {
  if (!data) return data;
  return mapPages(data, (conversations) =>
    conversations.some((conversation) => conversation.id === id) ? conversations.filter((conversation) => conversation.id !== id) : conversations,
  );
}

/**
 * Replaces a conversation where it is, or puts a new one at the top (it was just created, so it
 * has the newest activity). The next refetch settles the exact order.
 */
export function upsertConversationInPages(data: ConversationPages | undefined, incoming: Conversation | ConversationDetail): ConversationPages | undefined {
  if (!data) return data;
  const conversation = toConversation(incoming);
  if (findConversation(data, conversation.id)) {
    return mapPages(data, (conversations) => {
      const index = conversations.findIndex((item) => item.id === conversation.id);
      if (index === -1) return conversations;
      const next = [...conversations];
      next[index] = conversation;
      return next;
    });
  }
  const [first, ...rest] = data.pages;
  if (!first) return { pages: [{ conversations: [conversation], nextCursor: null, hasMore: false }], pageParams: [null] };
  return { ...data, pages: [{ ...first, conversations: [conversation, ...first.conversations] }, ...rest] };
}

/** Changes one conversation where it is; the same object back when it is not loaded. */
export function patchConversationInPages(
  data: ConversationPages | undefined,
  id: string,
  patch: (conversation: Conversation) => Conversation,
): ConversationPages | undefined {
  if (!data) return data;
  return mapPages(data, (conversations) => {
    const index = conversations.findIndex((item) => item.id === id);
    if (index === -1) return conversations;
    const next = [...conversations];
    next[index] = patch(conversations[index] as Conversation);
    return next;
  });
}

export interface IncomingMessage {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  sender: { displayName: string };
  content: string;
  deletedAt: string | null;
  createdAt: string;
  system?: Message['system'];
  attachments: ReadonlyArray<{ name: string }>;
}

/** The user's read state of a conversation: the answer to a read, or `conversation:read` from another device. */
export interface ReadState {
  lastReadSeq: number;
  unreadCount: number;
  /** Of those unread, the ones that mention the user or everyone. */
  mentionCount: number;
}

/**
 * Merges a read state into a list entry, whose unreadCount counts the unread messages up to its
 * lastSeq. The server counted up to its newest message at the time of the read, so at least up to
 * lastReadSeq + unreadCount; read states and new messages reach the client in either order:
 * - a marker behind the cached one is old news;
 * - a count reaching every message the cache knows is exact, even for messages still on their way;
 * - otherwise the cache has counted messages newer than the read: moving the marker past n
 *   messages clears at most n of the cached unread ones, and the others stay unread.
 * The mention count follows the same reasoning, except that the cache cannot tell which of its
 * counted mentions the read cleared: it keeps the lowest possible count (see mentionCountUncertain).
 */
export function applyReadState(conversation: Conversation, read: ReadState): Conversation {
  if (read.lastReadSeq < conversation.lastReadSeq) return conversation;
  const countedUpTo = read.lastReadSeq + read.unreadCount;
  const exact = countedUpTo >= conversation.lastSeq;
  const moved = read.lastReadSeq - conversation.lastReadSeq;
  const unreadCount = exact ? read.unreadCount : Math.max(read.unreadCount, conversation.unreadCount - moved);
  const mentionCount = exact ? read.mentionCount : Math.max(read.mentionCount, conversation.mentionCount - moved);
  const lastSeq = Math.max(conversation.lastSeq, countedUpTo);
  if (
    read.lastReadSeq === conversation.lastReadSeq &&
    unreadCount === conversation.unreadCount &&
    mentionCount === conversation.mentionCount &&
    lastSeq === conversation.lastSeq
  ) {
    return conversation;
  }
  return { ...conversation, lastReadSeq: read.lastReadSeq, unreadCount, mentionCount, lastSeq };
}

/** Whether applying this read left a mention count that may be too low, to be fetched again. */
export function mentionCountUncertain(conversation: Conversation, read: ReadState): boolean {
  const moved = read.lastReadSeq > conversation.lastReadSeq;
  const exact = read.lastReadSeq + read.unreadCount >= conversation.lastSeq;
  return moved && !exact && conversation.mentionCount > read.mentionCount;
}

/**
 * A new message in a conversation: it becomes the preview and the conversation moves to the top
 * (newest activity first). Older or repeated messages (catch-up, other tabs) change nothing.
 */
export function applyMessageToPages(
  data: ConversationPages | undefined,
  message: IncomingMessage,
  { countAsUnread, sentByMe = false, mentionsMe = false }: { countAsUnread: boolean; sentByMe?: boolean; mentionsMe?: boolean },
): ConversationPages | undefined {
  const current = findConversation(data, message.conversationId);
  if (!data || !current) return data;
  if (current.lastMessage && current.lastMessage.seq >= message.seq) return data;
  // The count covers messages up to lastSeq already (a read state can arrive before a message it counted).
  const counted = countAsUnread && message.seq > current.lastSeq;
  let updated: Conversation = {
    ...current,
    lastSeq: Math.max(current.lastSeq, message.seq),
    lastActivityAt: message.createdAt > current.lastActivityAt ? message.createdAt : current.lastActivityAt,
    unreadCount: counted ? current.unreadCount + 1 : current.unreadCount,
    mentionCount: counted && mentionsMe ? current.mentionCount + 1 : current.mentionCount,
    lastMessage: {
      id: message.id,
      seq: message.seq,
      senderId: message.senderId,
      senderName: message.sender.displayName,
      preview: message.content.slice(0, MESSAGE_PREVIEW_LENGTH),
      deleted: message.deletedAt !== null,
      attachmentNames: message.attachments.map((file) => file.name),
      createdAt: message.createdAt,
      system: message.system,
    },
  };
  // Sending moves the sender's own marker on the server, as a read up to the message would.
  if (sentByMe) updated = applyReadState(updated, { lastReadSeq: message.seq, unreadCount: 0, mentionCount: 0 });
  const without = removeConversationFromPages(data, message.conversationId) as ConversationPages;
  const [first, ...rest] = without.pages;
  if (!first) return data;
  return { ...without, pages: [{ ...first, conversations: [updated, ...first.conversations] }, ...rest] };
}

/**
 * A message from someone else started or stopped mentioning the user (an edit, a delete). It counts
 * only while unread: above the marker, and up to lastSeq (a message not counted yet is counted as
 * it arrives).
 */
export function applyMentionChange(conversation: Conversation, seq: number, delta: 1 | -1): Conversation {
  if (seq <= conversation.lastReadSeq || seq > conversation.lastSeq) return conversation;
  const mentionCount = Math.min(conversation.unreadCount, Math.max(0, conversation.mentionCount + delta));
  return mentionCount === conversation.mentionCount ? conversation : { ...conversation, mentionCount };
}

/** The user's notification state of a conversation, as the server answered or announced it (replaces, never merges). */
export function applyNotifications<T extends Conversation>(conversation: T, notifications: ConversationNotifications): T {
  const current = conversation.notifications;
  if (current.level === notifications.level && current.custom === notifications.custom && current.mutedUntil === notifications.mutedUntil) return conversation;
  return { ...conversation, notifications };
}
