import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';

/** The shared Redis connection, or null in the single-node embedded mode. Only adapter factories read it. */
export const REDIS = Symbol('REDIS');

export function createRedis(url: string, prefix: string): Redis {
  const redis = new Redis(url, {
    keyPrefix: prefix,
    // Fail a command quickly while Redis is away instead of queueing forever; callers decide what that means.
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Connection errors surface through readiness and failing commands; an unhandled 'error' would crash.
  redis.on('error', () => undefined);
  return redis;
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.redisUrl ? createRedis(config.redisUrl, config.redisKeyPrefix) : null),
    },
    RedisLifecycle,
  ],
  exports: [REDIS],
})
export class RedisModule {}
