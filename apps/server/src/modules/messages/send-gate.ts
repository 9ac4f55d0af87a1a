import type Redis from 'ioredis';
import { TtlMap } from '../../infra/memory/ttl-map';

/** How long a stored send is remembered for the fast duplicate check. */
const DEDUP_TTL_MS = 5 * 60 * 1000;

export interface SendRule {
  /** Messages per window per sender. */
  points: number;
  windowMs: number;
}

export type Admission =
  /** This (sender, clientMessageId) was stored moments ago: replay it, without counting against the limit. */
  | { kind: 'known'; messageId: string }
  | { kind: 'allowed' }
  | { kind: 'refused'; retryAfterSeconds: number };

/**
 * The checks in front of a send, answered together: is this clientMessageId already stored (the fast
 * path of exactly-once; the unique index on messages is the guarantee), and is the sender within the
 * message rate limit (fixed window, shared by every node and both transports). On Redis that is one
 * script, one round trip; the dedup record of a new message is written without waiting for it.
 * Port: Redis on a cluster, in memory on one node.
 */
export abstract class SendGate {
  abstract admit(senderId: string, clientMessageId: string, rule: SendRule): Promise<Admission>;
  /** Records a stored message for later resends. Fire and forget: a lost record only costs the fast path. */
  abstract remember(senderId: string, clientMessageId: string, messageId: string): void;
}

const refusedAfter = (ms: number): Admission => ({ kind: 'refused', retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) });

export class MemorySendGate extends SendGate {
  private readonly stored = new TtlMap<string, string>();
  private readonly windows = new TtlMap<string, { used: number; endsAt: number }>();

  async admit(senderId: string, clientMessageId: string, rule: SendRule): Promise<Admission> {
    const messageId = this.stored.get(`${senderId}:${clientMessageId}`);
    if (messageId) return { kind: 'known', messageId };
    const now = Date.now();
    let window = this.windows.get(senderId);
    if (!window) {
      window = { used: 0, endsAt: now + rule.windowMs };
      this.windows.set(senderId, window, rule.windowMs);
    }
    window.used += 1;
    return window.used > rule.points ? refusedAfter(window.endsAt - now) : { kind: 'allowed' };
  }

  remember(senderId: string, clientMessageId: string, messageId: string): void {
    this.stored.set(`${senderId}:${clientMessageId}`, messageId, DEDUP_TTL_MS);
  }
}

// KEYS: the dedup record, the sender's window counter. ARGV: points, window ms.
// Replies { 'known', messageId } | { 'allowed' } | { 'refused', ms until the window ends }.
const ADMIT = `
local known = redis.call('GET', KEYS[1])
if known then return { 'known', known } end
local used = redis.call('INCR', KEYS[2])
local ttl = redis.call('PTTL', KEYS[2])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if used > tonumber(ARGV[1]) then return { 'refused', tostring(ttl) } end
return { 'allowed' }`;

type AdmitCommand = (dedupKey: string, windowKey: string, points: number, windowMs: number) => Promise<[string, string?]>;

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

  async admit(senderId: string, clientMessageId: string, rule: SendRule): Promise<Admission> {
    // Not connected: answer at once from this node instead of queueing behind a reconnect.
    if (this.redis.status !== 'ready') return this.insurance.admit(senderId, clientMessageId, rule);
    let reply: [string, string?];
    try {
      reply = await this.admitCommand(dedupKey(senderId, clientMessageId), windowKey(senderId), rule.points, rule.windowMs);
    } catch {
      return this.insurance.admit(senderId, clientMessageId, rule);
    }
    const [kind, value] = reply;
    if (kind === 'known') return { kind: 'known', messageId: value! };
    if (kind === 'refused') return refusedAfter(Number(value));
    return { kind: 'allowed' };
  }

  remember(senderId: string, clientMessageId: string, messageId: string): void {
    if (this.redis.status !== 'ready') return;
    this.redis.set(dedupKey(senderId, clientMessageId), messageId, 'PX', DEDUP_TTL_MS).catch(() => undefined);
  }
}
