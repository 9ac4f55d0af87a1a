import { Injectable } from '@nestjs/common';
import type { Message } from '@chat/shared';
import { ConversationRepository } from '../conversations/conversation.repository';
import { MembershipRepository } from '../conversations/membership.repository';

/** Someone a new message should notify, and how. */
export interface NotifyTarget {
  userId: string;
  /** Delivered at once even to a device saving power (a direct message, or a mention of them). */
  urgent: boolean;
  /** The notification may show the message text. */
  preview: boolean;
}

/** Who a message notifies. */
export abstract class NotificationPolicy {
  abstract targetsOf(message: Message): Promise<NotifyTarget[]>;
}

/** Every current participant but the sender, for text messages; urgent in direct chats and for those mentioned. */
@Injectable()
export class ParticipantsNotificationPolicy extends NotificationPolicy {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly memberships: MembershipRepository,
  ) {
    super();
  }

  async targetsOf(message: Message): Promise<NotifyTarget[]> {
    if (message.contentType !== 'text' || message.deletedAt) return [];
    const conversation = await this.conversations.findLive(message.conversationId);
    if (!conversation) return [];
    const userIds = await this.memberships.activeUserIds(message.conversationId);
    const direct = conversation.type === 'direct';
    return userIds
      .filter((userId) => userId !== message.senderId)
      .map((userId) => ({
        userId,
        urgent: direct || message.mentions.everyone || message.mentions.userIds.includes(userId),
        preview: true,
      }));
  }
}
