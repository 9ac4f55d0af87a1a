import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PresenceModule } from '../presence/presence.module';
import { PushAudience } from './push-audience';
import { MemoryPushQueue, PushQueue, RedisPushQueue } from './push-queue';
import { PushSender } from './push-sender';
import { PushSubscriptionRepository } from './push-subscription.repository';
import { PushController } from './push.controller';
import { PushDispatcher } from './push.dispatcher';
import { PushService } from './push.service';
import { PushWorker } from './push.worker';

@Module({
  imports: [ConversationsModule, NotificationsModule, PresenceModule],
  controllers: [PushController],
  providers: [
    PushSubscriptionRepository,
    PushAudience,
    PushService,
    PushSender,
    PushWorker,
    PushDispatcher,
    {
      provide: PushQueue,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisPushQueue(redis) : new MemoryPushQueue()),
    },
  ],
})
export class PushModule {}
