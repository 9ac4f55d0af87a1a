import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { NotificationPolicy, ParticipantsNotificationPolicy } from './notification-policy';

@Module({
  imports: [ConversationsModule],
  providers: [{ provide: NotificationPolicy, useClass: ParticipantsNotificationPolicy }],
  exports: [NotificationPolicy],
})
export class NotificationsModule {}
