import type { Conversation, ConversationNotifications, Message } from '@chat/shared';

/** Characters of message text a desktop notification shows. */
export const PREVIEW_MAX = 120;
/** What a notification says instead of the text when previews are off (the server's push says the same). */
export const NO_PREVIEW_BODY = 'New message';

/** Whether a mute is in effect at `now` (the list may hold one that has run out since it was fetched). */
export function isMuted(notifications: Pick<ConversationNotifications, 'mutedUntil'>, now: number): boolean {
  return notifications.mutedUntil !== null && Date.parse(notifications.mutedUntil) > now;
}

/**
 * The server's notification policy, for one reader: never their own or system messages, nothing
 * while muted, and by level `all` everything, `mentions` what names them or everyone, `none` nothing.
 * A thread reply counts for `all`, and its @everyone, only when the reader follows its thread (`followsThread`).
 */
export function shouldNotify(
  message: Pick<Message, 'senderId' | 'contentType' | 'mentions' | 'threadRootId'>,
  notifications: ConversationNotifications,
  readerId: string,
  now: number,
  followsThread = false,
): boolean {
  if (message.senderId === readerId || message.contentType === 'system' || isMuted(notifications, now)) return false;
  const hears = message.threadRootId === null || followsThread;
  const named = (message.mentions.everyone && hears) || message.mentions.userIds.includes(readerId);
  switch (notifications.level) {
    case 'all':
      return hears || named;
    case 'mentions':
      return named;
    case 'none':
      return false;
  }
}

/** Cuts text to `max` characters (code points, so an emoji is never split), marking the cut. */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function previewOf(message: Pick<Message, 'content' | 'attachments'>): string {
  const text = message.content.replace(/\s+/g, ' ').trim();
  if (text) return cut(text, PREVIEW_MAX);
  const [first, ...more] = message.attachments;
  if (!first) return NO_PREVIEW_BODY;
  return cut(`📎 ${first.name}${more.length > 0 ? ` (+${more.length})` : ''}`, PREVIEW_MAX);
}

/** Title and body as the push payload has them: "Sender · Group" in groups, the text unless previews are off. */
export function notificationContent(
  message: Pick<Message, 'sender' | 'content' | 'attachments'>,
  conversation: Pick<Conversation, 'type' | 'title'>,
  preview: boolean,
): { title: string; body: string } {
  const sender = message.sender.displayName;
  const title = conversation.type === 'group' && conversation.title ? `${sender} · ${conversation.title}` : sender;
  return { title, body: preview ? previewOf(message) : NO_PREVIEW_BODY };
}
