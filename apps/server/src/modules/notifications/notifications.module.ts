import { Module } from '@nestjs/common';
import { MembershipNotificationPolicy } from './membership-notification.policy';
import { NotificationTargetRepository } from './notification-target.repository';
import { NotificationPolicy } from './notification.policy';

@Module({
  providers: [NotificationTargetRepository, { provide: NotificationPolicy, useClass: MembershipNotificationPolicy }],
  exports: [NotificationPolicy],
})
export class NotificationsModule {}
