import type { Conversation, ConversationDetail, ConversationNotifications, SystemEvent } from '@chat/shared';
import type { ConversationSummaryRow } from './conversation-summary.repository';
import type { NotificationsRow } from '../notifications/notification-level.sql';

export function toNotificationsDto(row: NotificationsRow): ConversationNotifications {
  return { level: row.level, custom: row.custom, mutedUntil: row.mutedUntil?.toISOString() ?? null };
}

export function toConversationDto(row: ConversationSummaryRow): Conversation {
  const c = row.conversation;
  const m = row.lastMessage;
  return {
    id: c.id,
    type: c.type,
    title: c.title,
    isPublic: c.isPublic,
    ownerId: c.ownerId,
    peer: row.peer ? { id: row.peer.id, displayName: row.peer.displayName } : null,
    role: row.role,
    participantCount: c.participantCount,
    lastSeq: c.lastSeq,
    lastReadSeq: row.lastReadSeq,
    unreadCount: row.unreadCount,
    mentionCount: row.mentionCount,
    notifications: toNotificationsDto(row.notifications),
    lastMessage: m
      ? {
          id: m.id,
          seq: m.seq,
          senderId: m.senderId,
          senderName: row.senderName ?? '',
          preview: m.deletedAt ? '' : m.preview,
          deleted: m.deletedAt !== null,
          attachmentNames: m.attachmentNames ?? [],
          createdAt: m.createdAt.toISOString(),
          // Written by the server from systemEventSchema; null for text.
          system: (m.system as SystemEvent | null) ?? null,
        }
      : null,
    lastActivityAt: c.lastActivityAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

interface ParticipantRow {
  userId: string;
  displayName: string;
  role: 'owner' | 'member';
  joinedAt: Date;
  lastReadSeq: number;
  readReceiptsEnabled: boolean;
}

/** `viewerId` always sees their own marker; others' only if they share read receipts. */
export function toParticipantDtos(rows: ParticipantRow[], viewerId: string): ConversationDetail['participants'] {
  return rows.map((row) => ({
    user: { id: row.userId, displayName: row.displayName },
    role: row.role,
    joinedAt: row.joinedAt.toISOString(),
    lastReadSeq: row.readReceiptsEnabled || row.userId === viewerId ? row.lastReadSeq : null,
  }));
}
