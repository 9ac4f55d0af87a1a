import type Redis from 'ioredis';
import { TtlMap } from '../../infra/memory/ttl-map';

const TTL_SECONDS = 5 * 60;

/**
 * Fast path of exactly-once sends: (sender, clientMessageId) -> message id for five minutes.
 * Only an optimisation; the unique index on messages is the guarantee. Port: Redis or in-process.
 */
export abstract class DedupStore {
  abstract find(senderId: string, clientMessageId: string): Promise<string | null>;
  abstract remember(senderId: string, clientMessageId: string, messageId: string): Promise<void>;
}

export class RedisDedupStore extends DedupStore {
  constructor(private readonly redis: Redis) {
    super();
  }

  // A Redis outage only costs the fast path (skipped at once while disconnected); the database still deduplicates.
  async find(senderId: string, clientMessageId: string): Promise<string | null> {
    if (this.redis.status !== 'ready') return null;
    return this.redis.get(`dedup:${senderId}:${clientMessageId}`).catch(() => null);
  }

  async remember(senderId: string, clientMessageId: string, messageId: string): Promise<void> {
    if (this.redis.status !== 'ready') return;
    await this.redis.set(`dedup:${senderId}:${clientMessageId}`, messageId, 'EX', TTL_SECONDS).catch(() => undefined);
  }
}

export class MemoryDedupStore extends DedupStore {
  private readonly entries = new TtlMap<string, string>();

  async find(senderId: string, clientMessageId: string): Promise<string | null> {
    return this.entries.get(`${senderId}:${clientMessageId}`) ?? null;
  }

  async remember(senderId: string, clientMessageId: string, messageId: string): Promise<void> {
    this.entries.set(`${senderId}:${clientMessageId}`, messageId, TTL_SECONDS * 1000);
  }
}
