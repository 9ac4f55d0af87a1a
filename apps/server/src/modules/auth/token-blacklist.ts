import type Redis from 'ioredis';
import { TtlMap } from '../../infra/memory/ttl-map';

/**
 * Revoked access tokens (by jti) and ended sessions (by sid), kept until the last access token that
 * could carry them has expired. Port: Redis on a cluster, in memory on a single node.
 */
export abstract class TokenBlacklist {
  abstract add(key: string, ttlSeconds: number): Promise<void>;
  abstract hasAny(keys: string[]): Promise<boolean>;
  /** False while the shared store is unreachable: callers must not trust a "not revoked" then. */
  abstract available(): boolean;
}

export class RedisTokenBlacklist extends TokenBlacklist {
  constructor(private readonly redis: Redis) {
    super();
  }

  available(): boolean {
    return this.redis.status === 'ready';
  }

  // Redis failures are swallowed: the blacklist is the fast path, PostgreSQL session state the truth.
  async add(key: string, ttlSeconds: number): Promise<void> {
    if (this.redis.status !== 'ready') return;
    await this.redis.set(`bl:${key}`, '1', 'EX', Math.max(1, Math.ceil(ttlSeconds))).catch(() => undefined);
  }

  async hasAny(keys: string[]): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    return (await this.redis.exists(...keys.map((key) => `bl:${key}`)).catch(() => 0)) > 0;
  }
}

export class MemoryTokenBlacklist extends TokenBlacklist {
  private readonly entries = new TtlMap<string, true>();

  available(): boolean {
    return true;
  }

  async add(key: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, true, ttlSeconds * 1000);
  }

  async hasAny(keys: string[]): Promise<boolean> {
    return keys.some((key) => this.entries.has(key));
  }
}
