import type { Message } from '@chat/shared';
import type { MessageWithSender } from './message.repository';

export function toMessageDto(row: MessageWithSender): Message {
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
  };
}
