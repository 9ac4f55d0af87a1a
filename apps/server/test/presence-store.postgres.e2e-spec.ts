import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisPresenceStore } from '../src/modules/presence/redis-presence.store';
import { TEST_REDIS_URL } from './support/infra';

/** The Redis presence store on its own: heartbeats are batched, and that must not reorder them. */
describe('Redis presence store', () => {
  const prefix = `test-presence-store-${randomUUID()}:`;
  let redis: Redis;
  let store: RedisPresenceStore;

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix });
    store = new RedisPresenceStore(redis);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
    redis.disconnect();
  });

  it('a heartbeat still waiting for its batch when the device is removed does not bring it back', async () => {
    const userId = randomUUID();
    const now = Date.now();
    expect(await store.touch(userId, 'laptop', 'online', now, 30_000)).toMatchObject({ status: 'online' });
    // The last heartbeat and the disconnect, back to back (the heartbeat is not awaited, as a socket's is not).
    const lastBeat = store.touch(userId, 'laptop', 'online', now + 1, 30_000);
    const removed = await store.remove(userId, 'laptop', now + 2);
    await lastBeat;
    expect(removed).toMatchObject({ status: 'offline' });
    expect((await store.current([userId], now + 3)).get(userId)).toMatchObject({ status: 'offline' });
    expect((await store.liveDevices([userId], now + 3)).get(userId)).toEqual([]);
  });

  it('answers each heartbeat of a batch with its own transition, and a connect’s with the batch waiting before it', async () => {
    const [ann, ben] = [randomUUID(), randomUUID()];
    const now = Date.now();
    await store.touch(ann, 'phone', 'online', now, 30_000);
    const [annAway, benOnline, annAgain] = await Promise.all([
      store.touch(ann, 'phone', 'away', now + 1, 30_000),
      store.touch(ben, 'phone', 'online', now + 1, 30_000),
      store.touch(ann, 'phone', 'away', now + 2, 30_000),
    ]);
    expect(annAway).toMatchObject({ userId: ann, status: 'away' });
    expect(benOnline).toMatchObject({ userId: ben, status: 'online' });
    expect(annAgain).toBeNull();
    // A connect's touch goes out at once, taking the ones waiting for their batch with it.
    const waiting = store.touch(ben, 'laptop', 'online', now + 3, 30_000);
    const connected = store.touch(ben, 'tablet', 'online', now + 3, 30_000, true);
    expect(await Promise.all([waiting, connected])).toEqual([null, null]);
    expect((await store.liveDevices([ben], now + 4)).get(ben)?.sort()).toEqual(['laptop', 'phone', 'tablet']);
  });
});
