import type Redis from 'ioredis';
import { TtlMap } from '../../infra/memory/ttl-map';

/** How long a stored send is remembered for the fast duplicate check. */
const DEDUP_TTL_MS = 5 * 60 * 1000;

export interface SendRule {
  /** Messages per window per sender. */
  points: number;
  windowMs: number;
}

export interface SendAttempt {
  senderId: string;
  clientMessageId: string;
  /** The id the message will be stored under if admitted. */
  messageId: string;
}

export type Admission =
  /** This (sender, clientMessageId) was admitted moments ago under this id: replay it (it may still be being stored), without counting it. */
  { kind: 'known'; messageId: string } | { kind: 'allowed' } | { kind: 'refused'; retryAfterSeconds: number };

/**
 * The checks in front of a send, answered together in one step: was this clientMessageId admitted in
 * the last 5 minutes (the fast path of exactly-once; the unique index on messages is the guarantee),
 * and is the sender within the message rate limit (fixed window, shared by every node and both
 * transports)? An admitted send is recorded under the id it is about to be stored with, so a resend
 * finds it without another write. On Redis that is one script: one round trip per send.
 * Port: Redis on a cluster, in memory on one node.
 */
export abstract class SendGate {
  abstract admit(attempt: SendAttempt, rule: SendRule): Promise<Admission>;
}

const refusedAfter = (ms: number): Admission => ({ kind: 'refused', retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) });

export class MemorySendGate extends SendGate {
  private readonly admitted = new TtlMap<string, string>();
  private readonly windows = new TtlMap<string, { used: number; endsAt: number }>();

  async admit({ senderId, clientMessageId, messageId }: SendAttempt, rule: SendRule): Promise<Admission> {
    const key = `${senderId}:${clientMessageId}`;
    const known = this.admitted.get(key);
    if (known) return { kind: 'known', messageId: known };
    const now = Date.now();
    let window = this.windows.get(senderId);
    if (!window) {
      window = { used: 0, endsAt: now + rule.windowMs };
      this.windows.set(senderId, window, rule.windowMs);
    }
    window.used += 1;
    if (window.used > rule.points) return refusedAfter(window.endsAt - now);
    this.admitted.set(key, messageId, DEDUP_TTL_MS);
    return { kind: 'allowed' };
  }
}

// KEYS: the dedup record, the sender's window counter. ARGV: points, window ms, message id, dedup ttl ms.
// Replies { 'known', messageId } | { 'allowed' } | { 'refused', ms until the window ends }.
const ADMIT = `
local known = redis.call('GET', KEYS[1])
if known then return { 'known', known } end
local used = redis.call('INCR', KEYS[2])
-- INCR and PEXPIRE run together here, so a window counter never lives without its expiry.
if used == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
if used > tonumber(ARGV[1]) then return { 'refused', tostring(redis.call('PTTL', KEYS[2])) } end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return { 'allowed' }`;

type AdmitCommand = (dedupKey: string, windowKey: string, points: number, windowMs: number, messageId: string, ttlMs: number) => Promise<[string, string?]>;

/** Both keys carry the sender in a hash tag, so the script stays valid on a Redis Cluster. */
const dedupKey = (senderId: string, clientMessageId: string) => `send:{${senderId}}:dedup:${clientMessageId}`;
const windowKey = (senderId: string) => `send:{${senderId}}:window`;

export class RedisSendGate extends SendGate {
  /** While Redis is unreachable each node limits on its own, rather than letting everything through. */
  private readonly insurance = new MemorySendGate();
  private readonly admitCommand: AdmitCommand;

  constructor(private readonly redis: Redis) {
    super();
    // A defined command is sent as EVALSHA (EVAL once, if Redis does not know the script yet).
    if (!('chatSendAdmit' in redis)) redis.defineCommand('chatSendAdmit', { numberOfKeys: 2, lua: ADMIT });
    this.admitCommand = (redis as unknown as { chatSendAdmit: AdmitCommand }).chatSendAdmit.bind(redis);
  }

  async admit(attempt: SendAttempt, rule: SendRule): Promise<Admission> {
    // Not connected: answer at once from this node instead of queueing behind a reconnect.
    if (this.redis.status !== 'ready') return this.insurance.admit(attempt, rule);
    let reply: [string, string?];
    try {
      reply = await this.admitCommand(
        dedupKey(attempt.senderId, attempt.clientMessageId),
        windowKey(attempt.senderId),
        rule.points,
        rule.windowMs,
        attempt.messageId,
        DEDUP_TTL_MS,
      );
    } catch {
      return this.insurance.admit(attempt, rule);
    }
    const [kind, value] = reply;
    if (kind === 'known') return { kind: 'known', messageId: value! };
    if (kind === 'refused') return refusedAfter(Number(value));
    return { kind: 'allowed' };
  }
}
