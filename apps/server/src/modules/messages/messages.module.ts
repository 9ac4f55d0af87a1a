import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { ReactionsModule } from '../reactions/reactions.module';
import { FileRepository } from '../files/file.repository';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { MemorySendGate, RedisSendGate, SendGate } from './send-gate';

@Module({
  imports: [ConversationsModule, ReactionsModule],
  controllers: [MessagesController],
  providers: [
    MessagesService,
    // Stateless: this module's own instance reads the files of messages.
    FileRepository,
    {
      provide: SendGate,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisSendGate(redis) : new MemorySendGate()),
    },
  ],
  exports: [MessagesService],
})
export class MessagesModule {}
