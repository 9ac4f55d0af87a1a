import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { MemoryPresenceStore } from './memory-presence.store';
import { PresenceController } from './presence.controller';
import { PresenceRepository } from './presence.repository';
import { PresenceService } from './presence.service';
import { PresenceStore } from './presence.store';
import { PresenceSweeper } from './presence.sweeper';
import { RedisPresenceStore } from './redis-presence.store';

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
  // The store too: pushes ask whether a user has a live device on any node.
  exports: [PresenceService, PresenceStore],
})
export class PresenceModule {}
