import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { DedupStore, MemoryDedupStore, RedisDedupStore } from './dedup-store';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({
  imports: [ConversationsModule],
  controllers: [MessagesController],
  providers: [
    MessagesService,
    {
      provide: DedupStore,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisDedupStore(redis) : new MemoryDedupStore()),
    },
  ],
  exports: [MessagesService],
})
export class MessagesModule {}
