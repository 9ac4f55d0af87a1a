import type Redis from 'ioredis';

/** One claimed request for a file's thumbnail. */
export interface ThumbnailJob {
  fileId: string;
  /** 1 on the first try. */
  attempt: number;
  /** Handled (made, or given up on): nobody takes it again. */
  done(): Promise<void>;
  /** Failed for a reason that may pass (storage, database): taken again after `delayMs`. */
  retry(delayMs: number): Promise<void>;
}

/**
 * Files waiting for a thumbnail. `claim` hands each request to one worker; a request whose worker
 * died before `done` is handed out again later. A file may be queued twice: the worker makes its
 * thumbnail once (the row's state says whether it is still pending). Port: Redis on a cluster, so
 * any node may make the thumbnail of a file another stored; in memory on one node.
 */
export abstract class ThumbnailQueue {
  abstract enqueue(fileId: string): Promise<void>;
  abstract claim(): Promise<ThumbnailJob | null>;
}

/** A claim older than this belongs to a worker that died (a thumbnail takes well under a second). */
export const CLAIM_STALE_AFTER_MS = 60_000;

// A stale claim first, else the oldest request; claimed with the time, its attempt counted.
const CLAIM = `
local id = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'LIMIT', 0, 1)[1]
if not id then id = redis.call('RPOP', KEYS[1]) end
if not id then return nil end
redis.call('ZADD', KEYS[2], ARGV[1], id)
return {id, redis.call('HINCRBY', KEYS[3], id, 1)}`;

export class RedisThumbnailQueue extends ThumbnailQueue {
  private readonly queueKey = 'thumbnails:queue';
  private readonly claimsKey = 'thumbnails:claims';
  private readonly attemptsKey = 'thumbnails:attempts';
  private readonly claimScript: (...keysThenArgs: string[]) => Promise<[string, number] | null>;

  constructor(private readonly redis: Redis) {
    super();
    if (!('chatThumbnailClaim' in redis)) redis.defineCommand('chatThumbnailClaim', { numberOfKeys: 3, lua: CLAIM });
    this.claimScript = (redis as unknown as { chatThumbnailClaim: RedisThumbnailQueue['claimScript'] }).chatThumbnailClaim.bind(redis);
  }

  async enqueue(fileId: string): Promise<void> {
    await this.redis.lpush(this.queueKey, fileId);
  }

  async claim(): Promise<ThumbnailJob | null> {
    const now = Date.now();
    const claimed = await this.claimScript(this.queueKey, this.claimsKey, this.attemptsKey, String(now), String(now - CLAIM_STALE_AFTER_MS));
    if (!claimed) return null;
    const [fileId, attempt] = claimed;
    return {
      fileId,
      attempt: Number(attempt),
      done: async () => {
        await this.redis.multi().zrem(this.claimsKey, fileId).hdel(this.attemptsKey, fileId).exec();
      },
      // The claim is left to go stale after the delay, when any node takes it again.
      retry: async (delayMs) => {
        await this.redis.zadd(this.claimsKey, Date.now() + delayMs - CLAIM_STALE_AFTER_MS, fileId);
      },
    };
  }
}

export class MemoryThumbnailQueue extends ThumbnailQueue {
  private readonly waiting: string[] = [];
  private readonly attempts = new Map<string, number>();

  async enqueue(fileId: string): Promise<void> {
    this.waiting.push(fileId);
  }

  async claim(): Promise<ThumbnailJob | null> {
    const fileId = this.waiting.shift();
    if (fileId === undefined) return null;
    const attempt = (this.attempts.get(fileId) ?? 0) + 1;
    this.attempts.set(fileId, attempt);
    return {
      fileId,
      attempt,
      done: async () => {
        this.attempts.delete(fileId);
      },
      retry: async (delayMs) => {
        setTimeout(() => this.waiting.push(fileId), delayMs).unref();
      },
    };
  }
}
