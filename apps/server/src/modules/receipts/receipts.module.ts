import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { PresenceModule } from '../presence/presence.module';
import { MemoryPendingReadsStore, PendingReadsStore, RedisPendingReadsStore } from './pending-reads.store';
import { ReceiptRepository } from './receipt.repository';
import { ReceiptsController } from './receipts.controller';
import { ReceiptsService } from './receipts.service';
import { ReceiptsWorker } from './receipts.worker';

@Module({
  imports: [ConversationsModule, PresenceModule],
  controllers: [ReceiptsController],
  providers: [
    ReceiptRepository,
    ReceiptsService,
    ReceiptsWorker,
    {
      provide: PendingReadsStore,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisPendingReadsStore(redis) : new MemoryPendingReadsStore()),
    },
  ],
  exports: [ReceiptsService, ReceiptsWorker],
})
export class ReceiptsModule {}
