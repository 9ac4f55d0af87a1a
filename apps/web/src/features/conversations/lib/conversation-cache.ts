import { type Conversation, type ConversationDetail, type ConversationPage, MESSAGE_PREVIEW_LENGTH } from '@chat/shared';
import type { InfiniteData } from '@tanstack/react-query';

export type ConversationPages = InfiniteData<ConversationPage, string | null>;

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
export function upsertConversationInPages(
  data: ConversationPages | undefined,
  incoming: Conversation | ConversationDetail,
): ConversationPages | undefined {
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
}

/**
 * A new message in a conversation: it becomes the preview and the conversation moves to the top
 * (newest activity first). Older or repeated messages (catch-up, other tabs) change nothing.
 */
export function applyMessageToPages(
  data: ConversationPages | undefined,
  message: IncomingMessage,
  { countAsUnread }: { countAsUnread: boolean },
): ConversationPages | undefined {
  const current = findConversation(data, message.conversationId);
  if (!data || !current) return data;
  if (current.lastMessage && current.lastMessage.seq >= message.seq) return data;
  const updated: Conversation = {
    ...current,
    lastSeq: Math.max(current.lastSeq, message.seq),
    lastActivityAt: message.createdAt > current.lastActivityAt ? message.createdAt : current.lastActivityAt,
    unreadCount: countAsUnread ? current.unreadCount + 1 : current.unreadCount,
    lastMessage: {
      id: message.id,
      seq: message.seq,
      senderId: message.senderId,
      senderName: message.sender.displayName,
      preview: message.content.slice(0, MESSAGE_PREVIEW_LENGTH),
      deleted: message.deletedAt !== null,
      createdAt: message.createdAt,
    },
  };
  const without = removeConversationFromPages(data, message.conversationId) as ConversationPages;
  const [first, ...rest] = without.pages;
  if (!first) return data;
  return { ...without, pages: [{ ...first, conversations: [updated, ...first.conversations] }, ...rest] };
}
