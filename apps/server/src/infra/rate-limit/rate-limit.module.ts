import { Global, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { MetricsService } from '../../modules/metrics/metrics.service';
import { REDIS } from '../redis/redis.module';
import { MemoryRateLimiter, RedisRateLimiter } from './flexible-rate-limiter';
import { RateLimiter } from './rate-limiter';

@Global()
@Module({
  providers: [
    {
      provide: RateLimiter,
      inject: [REDIS, MetricsService],
      useFactory: (redis: Redis | null, metrics: MetricsService) => {
        const onRefused = (rule: string) => metrics.rateLimitHits.inc({ rule });
        return redis ? new RedisRateLimiter(redis, onRefused) : new MemoryRateLimiter(onRefused);
      },
    },
  ],
  exports: [RateLimiter],
})
export class RateLimitModule {}
