import { MESSAGE_EDIT_WINDOW_HOURS } from '@chat/shared';
import type { ChatMessage } from './message-cache';

/** The sender may edit a stored, undeleted text message for MESSAGE_EDIT_WINDOW_HOURS after sending it. */
export function isEditable(message: ChatMessage, currentUserId: string | undefined, now = Date.now()): boolean {
  return (
    message.senderId === currentUserId &&
    message.status === 'delivered' &&
    message.deletedAt === null &&
    message.contentType !== 'system' &&
    now - new Date(message.createdAt).getTime() < MESSAGE_EDIT_WINDOW_HOURS * 3_600_000
  );
}
