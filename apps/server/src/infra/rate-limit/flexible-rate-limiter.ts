import type Redis from 'ioredis';
import { type IRateLimiterOptions, type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type RateLimitResult, RateLimiter, type RateLimitRule } from './rate-limiter';

type LimiterFactory = (options: IRateLimiterOptions) => RateLimiterAbstract;

/** Both adapters wrap rate-limiter-flexible; they differ only in where the counters live. */
class FlexibleRateLimiter extends RateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly create: LimiterFactory) {
    super();
  }

  async consume(rule: RateLimitRule, key: string): Promise<RateLimitResult> {
    try {
      const res = await this.limiter(rule).consume(key, 1);
      return { allowed: true, remaining: res.remainingPoints };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return refused(rejection);
      throw rejection;
    }
  }

  async reset(rule: RateLimitRule, key: string): Promise<void> {
    await this.limiter(rule).delete(key);
  }

  private limiter(rule: RateLimitRule): RateLimiterAbstract {
    const id = `${rule.name}:${rule.points}:${rule.durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.create({ keyPrefix: `rl:${rule.name}`, points: rule.points, duration: rule.durationSeconds });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

function refused(res: RateLimiterRes): RateLimitResult {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

export class MemoryRateLimiter extends FlexibleRateLimiter {
  constructor() {
    super((options) => new RateLimiterMemory(options));
  }
}

export class RedisRateLimiter extends FlexibleRateLimiter {
  constructor(redis: Redis) {
    super(
      (options) =>
        new RateLimiterRedis({
          ...options,
          storeClient: redis,
          // Not connected: answer from the per-node insurance limiter at once instead of queueing.
          rejectIfRedisNotReady: true,
          // While Redis is unreachable each node limits on its own rather than letting everything through.
          insuranceLimiter: new RateLimiterMemory(options),
        }),
    );
  }
}
