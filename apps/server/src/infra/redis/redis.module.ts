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
    // A command Redis does not answer within this fails, so a silent connection cannot hang a request.
    commandTimeout: 2_000,
    keepAlive: 10_000,
    // No enableAutoPipelining: when a pipeline's connection drops it can throw an uncaught
    // TypeError inside ioredis (seen in our suite; redis/ioredis#1931), which would end the process.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Connection errors surface through readiness and failing commands; an unhandled 'error' would crash.
  redis.on('error', () => undefined);
  watchConnection(redis);
  return redis;
}

/**
 * A connection cut silently (no FIN, no RST) looks alive to the client until TCP keepalive gives
 * up, minutes later. Commands time out meanwhile; after two failed pings in a row, drop the
 * connection and let ioredis reconnect.
 */
function watchConnection(redis: Redis, intervalMs = 2_000): void {
  let failures = 0;
  const timer = setInterval(() => {
    if (redis.status !== 'ready') return;
    redis.ping().then(
      () => (failures = 0),
      () => {
        failures += 1;
        if (failures >= 2) {
          failures = 0;
          redis.disconnect(true);
        }
      },
    );
  }, intervalMs);
  timer.unref();
  redis.once('end', () => clearInterval(timer));
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
