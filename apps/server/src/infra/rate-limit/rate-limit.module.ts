import { Global, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { MemoryRateLimiter, RedisRateLimiter } from './flexible-rate-limiter';
import { RateLimiter } from './rate-limiter';

/** Refusals are counted by the services that apply the rules (the rate-limit metric lives with them). */
@Global()
@Module({
  providers: [
    {
      provide: RateLimiter,
      inject: [REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisRateLimiter(redis) : new MemoryRateLimiter()),
    },
  ],
  exports: [RateLimiter],
})
export class RateLimitModule {}
