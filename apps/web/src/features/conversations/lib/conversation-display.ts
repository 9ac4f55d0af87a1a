import type { Conversation, Participant } from '@chat/shared';
import { plainText } from '../../../lib/format-message';
import { systemTextFor } from '../../../lib/system-text';

type Titled = Pick<Conversation, 'type' | 'title' | 'peer'>;

/** What a conversation is called: the group title, or the other person's name for a direct chat. */
export function conversationTitle(conversation: Titled): string {
  if (conversation.type === 'group') return conversation.title?.trim() || 'Untitled group';
  return conversation.peer?.displayName ?? 'Deleted user';
}

export type PreviewParts =
  | { kind: 'empty'; text: string }
  | { kind: 'deleted'; text: string }
  /** `files`: the message has no text and `text` names its files (shown after a paperclip). */
  | { kind: 'message'; sender: string | null; text: string; files: boolean }
  /** A change to the group: the sentence names its actor already. */
  | { kind: 'system'; text: string };

/**
 * The second line of a list item. The sender is named in groups ("Ada: …") and for your own
 * messages ("You: …"); in a direct chat the other person's name is already the title.
 */
export function previewParts(conversation: Pick<Conversation, 'type' | 'lastMessage'>, currentUserId: string | undefined): PreviewParts {
  const message = conversation.lastMessage;
  if (!message) return { kind: 'empty', text: 'No messages yet' };
  if (message.deleted) return { kind: 'deleted', text: 'Message deleted' };
  if (message.system) return { kind: 'system', text: systemTextFor(message.system, { id: message.senderId, displayName: message.senderName }, currentUserId) };
  const words = plainText(message.preview).replace(/\s+/g, ' ').trim();
  const files = words === '' && message.attachmentNames.length > 0;
  const text = files ? filesLabel(message.attachmentNames) : words;
  if (message.senderId === currentUserId) return { kind: 'message', sender: 'You', text, files };
  return { kind: 'message', sender: conversation.type === 'group' ? message.senderName : null, text, files };
}

/** What a message with files and no text says in the sidebar: "plan.pdf", "plan.pdf and 2 more". */
function filesLabel(names: readonly string[]): string {
  const [first = ''] = names;
  return names.length > 1 ? `${first} and ${names.length - 1} more` : first;
}

/** Unread counts past 99 are capped so the badge keeps its size. */
export function unreadBadgeLabel(count: number): string | null {
  if (count <= 0) return null;
  return count > 99 ? '99+' : String(count);
}

export function memberCountLabel(count: number): string {
  return `${count} ${count === 1 ? 'member' : 'members'}`;
}

/** Owner first, then in the order people joined; ties (created together) by name. */
export function sortParticipants(participants: readonly Participant[]): Participant[] {
  return [...participants].sort((a, b) => {
    if (a.role !== b.role) return a.role === 'owner' ? -1 : 1;
    const joined = a.joinedAt.localeCompare(b.joinedAt);
    return joined !== 0 ? joined : a.user.displayName.localeCompare(b.user.displayName);
  });
}
