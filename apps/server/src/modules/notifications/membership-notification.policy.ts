import { Injectable } from '@nestjs/common';
import type { Message } from '@chat/shared';
import { NotificationTargetRepository } from './notification-target.repository';
import { NotificationPolicy, type NotifyTarget } from './notification.policy';

/** The policy read from memberships and user settings in the database. */
@Injectable()
export class MembershipNotificationPolicy extends NotificationPolicy {
  constructor(private readonly targets: NotificationTargetRepository) {
    super();
  }

  async targetsOf(message: Message, among?: readonly string[]): Promise<NotifyTarget[]> {
    // A group change is the group's record, not something said to anyone.
    if (message.contentType === 'system') return [];
    return this.targets.targetsOf({
      conversationId: message.conversationId,
      senderId: message.senderId,
      mentionedUserIds: message.mentions.userIds,
      mentionsEveryone: message.mentions.everyone,
      threadRootId: message.threadRootId,
      among,
    });
  }
}
