import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { TtlMap } from '../../infra/memory/ttl-map';

/** A push to send: of one message to one user's devices, or (a retry) to one of them. */
export interface PushJob {
  id: string;
  messageId: string;
  conversationId: string;
  seq: number;
  userId: string;
  urgent: boolean;
  /** The payload JSON (push-payload.ts). */
  payload: string;
  /** Set on a retry: the one subscription whose send failed. */
  subscriptionId?: string;
  /** 1 on the first try. */
  attempt: number;
}

export type NewPushJob = Omit<PushJob, 'id'>;

export interface ClaimedPushJob {
  job: PushJob;
  /** Handled: nobody takes it again. */
  done(): Promise<void>;
}

/**
 * Pushes waiting to go, each due at a time (now, or when an idle recipient should have read the
 * message, or a retry's backoff). `claim` hands a due job to one worker on one node and hides it
 * for a while; a job whose worker died before `done` comes due again then. So a job may run twice:
 * `firstSend` is what makes each (message, subscription) push go once. Port: Redis on a cluster
 * (jobs survive a node's restart), in memory on one node.
 */
export abstract class PushQueue {
  abstract enqueue(job: NewPushJob, delayMs: number): Promise<void>;
  abstract claim(): Promise<ClaimedPushJob | null>;
  /** True only for the first caller with this (message, subscription), on any node. */
  abstract firstSend(messageId: string, subscriptionId: string): Promise<boolean>;
}

/** A claimed job comes due again this long after its claim (a try takes at most the push timeout). */
export const CLAIM_HIDES_FOR_MS = 120_000;
/** Longer than a push lives at the push service (a day), so a late retry of a job never sends twice. */
const SENT_KEY_TTL_MS = 2 * 24 * 3600_000;

// The earliest due job, hidden until the claim goes stale; the job itself is the member.
const CLAIM = `
local job = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)[1]
if not job then return nil end
redis.call('ZADD', KEYS[1], ARGV[2], job)
return job`;

export class RedisPushQueue extends PushQueue {
  private readonly dueKey = 'push:due';
  private readonly claimScript: (key: string, now: string, hiddenUntil: string) => Promise<string | null>;

  constructor(private readonly redis: Redis) {
    super();
    if (!('chatPushClaim' in redis)) redis.defineCommand('chatPushClaim', { numberOfKeys: 1, lua: CLAIM });
    this.claimScript = (redis as unknown as { chatPushClaim: RedisPushQueue['claimScript'] }).chatPushClaim.bind(redis);
  }

  async enqueue(job: NewPushJob, delayMs: number): Promise<void> {
    await this.redis.zadd(this.dueKey, Date.now() + delayMs, JSON.stringify({ ...job, id: randomUUID() }));
  }

  async claim(): Promise<ClaimedPushJob | null> {
    const now = Date.now();
    const member = await this.claimScript(this.dueKey, String(now), String(now + CLAIM_HIDES_FOR_MS));
    if (!member) return null;
    return {
      job: JSON.parse(member) as PushJob,
      done: async () => {
        await this.redis.zrem(this.dueKey, member);
      },
    };
  }

  async firstSend(messageId: string, subscriptionId: string): Promise<boolean> {
    return (await this.redis.set(`push:sent:${messageId}:${subscriptionId}`, '1', 'PX', SENT_KEY_TTL_MS, 'NX')) === 'OK';
  }
}

export class MemoryPushQueue extends PushQueue {
  private readonly due = new Map<string, { job: PushJob; at: number }>();
  private readonly sent = new TtlMap<string, true>();

  async enqueue(job: NewPushJob, delayMs: number): Promise<void> {
    const id = randomUUID();
    this.due.set(id, { job: { ...job, id }, at: Date.now() + delayMs });
  }

  async claim(): Promise<ClaimedPushJob | null> {
    const now = Date.now();
    let earliest: { job: PushJob; at: number } | undefined;
    for (const entry of this.due.values()) if (entry.at <= now && (!earliest || entry.at < earliest.at)) earliest = entry;
    if (!earliest) return null;
    earliest.at = now + CLAIM_HIDES_FOR_MS;
    const { job } = earliest;
    return {
      job,
      done: async () => {
        this.due.delete(job.id);
      },
    };
  }

  async firstSend(messageId: string, subscriptionId: string): Promise<boolean> {
    const key = `${messageId}:${subscriptionId}`;
    if (this.sent.has(key)) return false;
    this.sent.set(key, true, SENT_KEY_TTL_MS);
    return true;
  }
}
