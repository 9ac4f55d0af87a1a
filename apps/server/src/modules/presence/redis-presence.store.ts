import type Redis from 'ioredis';
import { type CurrentPresence, type Device, type DeviceStatus, PresenceStore, type PresenceState, type PresenceTransition, bestOf } from './presence.store';

const parseDevice = (value: string): Device => {
  const [status, lastActivity, expiresAt] = value.split('|');
  return { status: status as DeviceStatus, lastActivity: Number(lastActivity), expiresAt: Number(expiresAt) };
};
const RECOMPUTE = `
local function recompute(devKey, annKey, now)
  local best = nil
  local lastActivity = 0
  local all = redis.call('HGETALL', devKey)
  for i = 1, #all, 2 do
    local st, act, exp = string.match(all[i + 1], '^(%a+)|(%d+)|(%d+)$')
    if tonumber(exp) > now then
      if st == 'online' then best = 'online' elseif best == nil then best = 'away' end
      if tonumber(act) > lastActivity then lastActivity = tonumber(act) end
    else
      redis.call('HDEL', devKey, all[i])
    end
  end
  local previous = redis.call('GET', annKey) or 'offline'
  local status = best or 'offline'
  -- Most calls are heartbeats that change nothing: write only on a transition.
  if previous == status then return false end
  if best == nil then redis.call('DEL', annKey) else redis.call('SET', annKey, best) end
  return { status, tostring(lastActivity) }
end
`;

// KEYS: devices hash, announced status, expiry zset. ARGV: device, status, now, expiresAt, expiry member.
const TOUCH = `${RECOMPUTE}
local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
-- The common heartbeat: a live device repeating its status changes nobody's best status (devices
-- that died meanwhile are the sweeper's), so skip reading every device.
if previous then
  local st, _, exp = string.match(previous, '^(%a+)|(%d+)|(%d+)$')
  if st == ARGV[2] and tonumber(exp) > tonumber(ARGV[3]) then return false end
end
return recompute(KEYS[1], KEYS[2], tonumber(ARGV[3]))`;

// ARGV: device, now, expiry member, only-if-expired flag.
const REMOVE = `${RECOMPUTE}
local current = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[4] == '1' and current then
  local expiresAt = tonumber(string.match(current, '|(%d+)$'))
  if expiresAt > tonumber(ARGV[2]) then
    redis.call('ZADD', KEYS[3], expiresAt, ARGV[3])
    return false
  end
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[3])
return recompute(KEYS[1], KEYS[2], tonumber(ARGV[2]))`;

const keysOf = (userId: string) => [`presence:dev:${userId}`, `presence:ann:${userId}`, 'presence:expiry'] as const;
const toTransition = (userId: string, reply: unknown): PresenceTransition | null => {
  if (!Array.isArray(reply)) return null;
  return { userId, status: reply[0] as PresenceState, lastActivity: Number(reply[1]) };
};

type Script = (...keysThenArgs: string[]) => Promise<unknown>;

/**
 * Heartbeats arriving within this window go to Redis in one pipeline: one write and one read on
 * each side for all of them instead of one per socket, which is most of what a heartbeat costs
 * Redis. Nobody waits on a heartbeat's answer (a device's TTL is 30 s); a connect does, so it is
 * sent at once, with the touches waiting before it.
 */
const TOUCH_BATCH_MS = 100;

interface PendingTouch {
  args: string[];
  settle: (error: unknown, reply: unknown) => void;
}

export class RedisPresenceStore extends PresenceStore {
  private readonly touchScript: Script;
  private readonly removeScript: Script;
  private pendingTouches: PendingTouch[] = [];
  private touchTimer?: NodeJS.Timeout;

  constructor(private readonly redis: Redis) {
    super();
    // Defined commands go out as EVALSHA: a heartbeat sends its arguments, not the script's text.
    if (!('chatPresenceTouch' in redis)) redis.defineCommand('chatPresenceTouch', { numberOfKeys: 3, lua: TOUCH });
    if (!('chatPresenceRemove' in redis)) redis.defineCommand('chatPresenceRemove', { numberOfKeys: 3, lua: REMOVE });
    const commands = redis as unknown as { chatPresenceTouch: Script; chatPresenceRemove: Script };
    this.touchScript = commands.chatPresenceTouch.bind(redis);
    this.removeScript = commands.chatPresenceRemove.bind(redis);
  }

  /** At most one round trip, shared with the other heartbeats of the moment; the hot path of every heartbeat. */
  touch(userId: string, deviceId: string, status: DeviceStatus, now: number, ttlMs: number, urgent = false): Promise<PresenceTransition | null> {
    return new Promise((resolve, reject) => {
      this.pendingTouches.push({
        args: [...keysOf(userId), deviceId, status, String(now), String(now + ttlMs), `${userId}|${deviceId}`],
        settle: (error, reply) => (error ? reject(error) : resolve(toTransition(userId, reply))),
      });
      if (urgent) this.flushTouches();
      else this.touchTimer ??= setTimeout(() => this.flushTouches(), TOUCH_BATCH_MS);
    });
  }

  private flushTouches(): void {
    clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    if (this.pendingTouches.length === 0) return;
    const batch = this.pendingTouches;
    this.pendingTouches = [];
    if (batch.length === 1) {
      const [only] = batch;
      this.touchScript(...only!.args).then(
        (reply) => only!.settle(null, reply),
        (error: unknown) => only!.settle(error, null),
      );
      return;
    }
    const pipeline = this.redis.pipeline() as unknown as {
      chatPresenceTouch: (...args: string[]) => void;
      exec: () => Promise<Array<[Error | null, unknown]> | null>;
    };
    for (const touch of batch) pipeline.chatPresenceTouch(...touch.args);
    pipeline.exec().then(
      (replies) =>
        batch.forEach((touch, i) => touch.settle(replies?.[i]?.[0] ?? (replies ? null : new Error('presence pipeline discarded')), replies?.[i]?.[1])),
      (error: unknown) => batch.forEach((touch) => touch.settle(error, null)),
    );
  }

  async remove(userId: string, deviceId: string, now: number) {
    return this.removeDevice(userId, deviceId, now, false);
  }

  async sweep(now: number): Promise<PresenceTransition[]> {
    const due = await this.redis.zrangebyscore('presence:expiry', '-inf', now, 'LIMIT', 0, 1000);
    const transitions: PresenceTransition[] = [];
    for (const member of due) {
      const [userId, deviceId] = member.split('|') as [string, string];
      const transition = await this.removeDevice(userId, deviceId, now, true);
      if (transition) transitions.push(transition);
    }
    return transitions;
  }

  async current(userIds: string[], now: number): Promise<Map<string, CurrentPresence>> {
    const devices = await this.devicesOf(userIds);
    return new Map(userIds.map((userId, i) => [userId, bestOf(devices[i]!, now)]));
  }

  async liveDevices(userIds: string[], now: number): Promise<Map<string, string[]>> {
    const devices = await this.devicesOf(userIds);
    return new Map(userIds.map((userId, i) => [userId, devices[i]!.filter((d) => d.expiresAt > now).map((d) => d.id)]));
  }

  private async devicesOf(userIds: string[]): Promise<Array<Array<Device & { id: string }>>> {
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) pipeline.hgetall(`presence:dev:${userId}`);
    const replies = (await pipeline.exec()) ?? [];
    return userIds.map((_, i) => {
      const [error, devices] = replies[i] ?? [null, {}];
      if (error) throw error;
      return Object.entries((devices ?? {}) as Record<string, string>).map(([id, value]) => ({ id, ...parseDevice(value) }));
    });
  }

  private async removeDevice(userId: string, deviceId: string, now: number, onlyIfExpired: boolean) {
    // Touches still waiting for their batch go first (one connection keeps order): a heartbeat
    // just before a disconnect must not bring the device back after it was removed.
    this.flushTouches();
    const reply = await this.removeScript(...keysOf(userId), deviceId, String(now), `${userId}|${deviceId}`, onlyIfExpired ? '1' : '0');
    return toTransition(userId, reply);
  }
}
