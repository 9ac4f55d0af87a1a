import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

export interface PendingRead {
  conversationId: string;
  userId: string;
  messageId: string;
  seq: number;
  /** ms since the epoch. */
  readAt: number;
}

/** A batch handed out by `take`; `done` once its reads are stored so nobody takes it again. */
export interface PendingBatch {
  reads: PendingRead[];
  done(): Promise<void>;
}

/**
 * Reads in large groups waiting for the next batch flush, one entry per (conversation, reader)
 * holding the furthest read. `take` hands each entry to one caller, on any node; a batch whose
 * node died before `done` is taken again later (storing a read twice is harmless: markers only
 * move forward and counts are derived from them). Port: Redis on a cluster, in memory on one node.
 */
export abstract class PendingReadsStore {
  /** Records reads; for each (conversation, reader) the furthest one is kept. */
  abstract add(reads: PendingRead[]): Promise<void>;
  abstract take(): Promise<PendingBatch>;
}

const encode = (read: PendingRead) => `${read.seq}|${read.messageId}|${read.readAt}`;
const decode = (field: string, value: string): PendingRead => {
  const [conversationId, userId] = field.split('|') as [string, string];
  const [seq, messageId, readAt] = value.split('|') as [string, string, string];
  return { conversationId, userId, messageId, seq: Number(seq), readAt: Number(readAt) };
};

// Keep the furthest read per field: compare seqs inside Redis so concurrent adds cannot regress it.
// ARGV holds (field, seq, value) triples, so one call records a whole batch.
const ADD_MAX = `
for i = 1, #ARGV, 3 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if (not current) or tonumber(string.match(current, '^(%d+)')) < tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
  end
end
return 1`;

// Move the whole pending hash aside in one step and record the claim with its time.
const CLAIM_PENDING = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
-- The member is the unprefixed name, so the client can pass it back as a key.
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
return 1`;

// Re-claim a stale batch (its node died mid-flush); only one node's claim succeeds.
const RECLAIM = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0`;

/** A claim older than this belongs to a node that died mid-flush. */
const STALE_AFTER_MS = 60_000;

export class RedisPendingReadsStore extends PendingReadsStore {
  private readonly pendingKey = 'receipts:pending';
  private readonly claimsKey = 'receipts:claims';

  private readonly scripts: Record<'addMax' | 'claimPending' | 'reclaim', (...keysThenArgs: string[]) => Promise<unknown>>;

  constructor(private readonly redis: Redis) {
    super();
    // Defined commands go out as EVALSHA, without the script's text on every call.
    const definitions = { chatReadsAddMax: [1, ADD_MAX], chatReadsClaim: [3, CLAIM_PENDING], chatReadsReclaim: [1, RECLAIM] } as const;
    for (const [name, [numberOfKeys, lua]] of Object.entries(definitions)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
    }
    const commands = redis as unknown as Record<keyof typeof definitions, (...keysThenArgs: string[]) => Promise<unknown>>;
    this.scripts = {
      addMax: commands.chatReadsAddMax.bind(redis),
      claimPending: commands.chatReadsClaim.bind(redis),
      reclaim: commands.chatReadsReclaim.bind(redis),
    };
  }

  async add(reads: PendingRead[]): Promise<void> {
    if (reads.length === 0) return;
    const triples = reads.flatMap((read) => [`${read.conversationId}|${read.userId}`, String(read.seq), encode(read)]);
    await this.scripts.addMax(this.pendingKey, ...triples);
  }

  async take(): Promise<PendingBatch> {
    const now = Date.now();
    const claimed: string[] = [];
    const fresh = `receipts:flushing:${randomUUID()}`;
    if ((await this.scripts.claimPending(this.pendingKey, fresh, this.claimsKey, String(now), fresh)) === 1) claimed.push(fresh);
    for (const stale of await this.redis.zrangebyscore(this.claimsKey, 0, now - STALE_AFTER_MS)) {
      if ((await this.scripts.reclaim(this.claimsKey, stale, String(now - STALE_AFTER_MS), String(now))) === 1) claimed.push(stale);
    }
    const reads: PendingRead[] = [];
    for (const key of claimed) {
      const entries = await this.redis.hgetall(key);
      reads.push(...Object.entries(entries).map(([field, value]) => decode(field, value)));
    }
    return {
      reads,
      done: async () => {
        if (claimed.length === 0) return;
        await this.redis.del(...claimed);
        await this.redis.zrem(this.claimsKey, ...claimed);
      },
    };
  }
}

export class MemoryPendingReadsStore extends PendingReadsStore {
  private pending = new Map<string, PendingRead>();

  async add(reads: PendingRead[]): Promise<void> {
    for (const read of reads) {
      const key = `${read.conversationId}|${read.userId}`;
      const current = this.pending.get(key);
      if (!current || current.seq < read.seq) this.pending.set(key, read);
    }
  }

  async take(): Promise<PendingBatch> {
    const reads = [...this.pending.values()];
    this.pending = new Map();
    return { reads, done: async () => undefined };
  }
}
