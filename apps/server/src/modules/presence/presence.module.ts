import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { PresenceController } from './presence.controller';
import { PresenceRepository } from './presence.repository';
import { PresenceService } from './presence.service';
import { MemoryPresenceStore, PresenceStore, RedisPresenceStore } from './presence.store';
import { PresenceSweeper } from './presence.sweeper';

@Module({
  controllers: [PresenceController],
  providers: [
    PresenceRepository,
    PresenceService,
    PresenceSweeper,
    {
      provide: PresenceStore,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisPresenceStore(redis) : new MemoryPresenceStore()),
    },
  ],
  exports: [PresenceService],
})
export class PresenceModule {}
