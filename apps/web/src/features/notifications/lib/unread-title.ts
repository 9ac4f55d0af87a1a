import type { Conversation } from '@chat/shared';
import { isMuted } from './notification-policy';

export const BASE_TITLE = 'Chat';
const CAP = 999;

export interface UnreadTotals {
  unread: number;
  mentions: number;
}

/** Unread messages and mentions over the conversations that are not muted: what the tab shows. */
export function unreadTotals(conversations: readonly Pick<Conversation, 'unreadCount' | 'mentionCount' | 'notifications'>[], now: number): UnreadTotals {
  let unread = 0;
  let mentions = 0;
  for (const conversation of conversations) {
    if (isMuted(conversation.notifications, now)) continue;
    unread += Math.max(0, conversation.unreadCount);
    mentions += Math.max(0, conversation.mentionCount);
  }
  return { unread, mentions };
}

const capped = (count: number) => (count > CAP ? `${CAP}+` : String(count));

/** "Chat", "(5) Chat", or with mentions "(@2 · 5) Chat": mentions first, since they ask for the reader. */
export function unreadTitle({ unread, mentions }: UnreadTotals): string {
  if (unread <= 0 && mentions <= 0) return BASE_TITLE;
  const counts = mentions > 0 ? `@${capped(mentions)} · ${capped(Math.max(unread, mentions))}` : capped(unread);
  return `(${counts}) ${BASE_TITLE}`;
}
