import type { Message, MessageReaction } from '@chat/shared';
import type { AttachedFile } from '../files/file.repository';
import { toUploadedFile } from '../files/files.service';
import type { MessageWithSender } from './message.repository';

/** The mentions as the message holds them, deleted or not (message:deleted tells what stopped counting). */
export const mentionsOf = (row: MessageWithSender): Message['mentions'] => ({ userIds: row.mentionedUserIds, everyone: row.mentionsEveryone });

/** The root's thread summary; null for a message that never had a reply. */
export const threadOf = (row: Pick<MessageWithSender, 'replyCount' | 'lastReplyAt' | 'threadParticipantIds'>): Message['thread'] =>
  row.lastReplyAt === null ? null : { replyCount: row.replyCount, lastReplyAt: row.lastReplyAt.toISOString(), participantIds: row.threadParticipantIds };

/**
 * `files`: the message's attached files (FileRepository.findByMessages, or the send's own answer); none for system messages.
 * `reactions`: as one viewer sees them (ReactionRepository.totals).
 */
export function toMessageDto(row: MessageWithSender, files: readonly AttachedFile[] = [], reactions: readonly MessageReaction[] = []): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    sender: { id: row.senderId, displayName: row.senderName },
    content: row.deletedAt ? '' : row.content,
    contentType: row.contentType,
    // The column holds what the server wrote from systemEventSchema; null for text.
    system: (row.system as Message['system']) ?? null,
    clientMessageId: row.clientMessageId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    // As the upload answered (one mapping, thumbnail included). A deleted message's files are no longer readable, so not listed either.
    attachments: row.deletedAt ? [] : files.map(toUploadedFile),
    mentions: row.deletedAt ? { userIds: [], everyone: false } : mentionsOf(row),
    reactions: row.deletedAt ? [] : [...reactions],
    reactionsVersion: row.reactionsVersion,
    threadRootId: row.threadRootId,
    thread: threadOf(row),
  };
}
