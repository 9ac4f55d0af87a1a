import { randomUUID } from 'node:crypto';
import { deleteRedisPrefix } from '@chat/test-kit';
import type Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedis } from '../src/infra/redis/redis.module';
import { CLAIM_STALE_AFTER_MS, RedisThumbnailQueue } from '../src/modules/files/thumbnails/thumbnail-queue';
import { TEST_REDIS_URL } from './support/infra';

/** Two nodes' queues on one Redis: what one claims, the other does not get. */
describe('RedisThumbnailQueue', () => {
  let prefix: string;
  let connections: Redis[];
  let nodeA: RedisThumbnailQueue;
  let nodeB: RedisThumbnailQueue;

  beforeAll(() => {
    prefix = `chat-test-thumbnails-${randomUUID()}:`;
    connections = [createRedis(TEST_REDIS_URL, prefix), createRedis(TEST_REDIS_URL, prefix)];
    nodeA = new RedisThumbnailQueue(connections[0]);
    nodeB = new RedisThumbnailQueue(connections[1]);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    for (let job = await nodeA.claim(); job; job = await nodeA.claim()) await job.done();
  });
  afterAll(async () => {
    for (const redis of connections) redis.disconnect();
    await deleteRedisPrefix(prefix);
  });

  it('hands each request to one node, oldest first, and forgets it once done', async () => {
    await nodeA.enqueue('file-1');
    await nodeB.enqueue('file-2');

    const first = await nodeB.claim();
    const second = await nodeA.claim();
    expect([first?.fileId, second?.fileId]).toEqual(['file-1', 'file-2']);
    expect([first?.attempt, second?.attempt]).toEqual([1, 1]);
    expect(await nodeA.claim()).toBeNull();
    expect(await nodeB.claim()).toBeNull();

    await first!.done();
    await second!.done();
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 2 * CLAIM_STALE_AFTER_MS);
    expect(await nodeA.claim()).toBeNull();
  });

  it('gives a retried request to any node once its delay is over, counting the attempt', async () => {
    await nodeA.enqueue('file-3');
    const job = (await nodeA.claim())!;
    const now = Date.now();
    await job.retry(5_000);
    expect(await nodeB.claim()).toBeNull();

    vi.spyOn(Date, 'now').mockReturnValue(now + 6_000);
    const again = await nodeB.claim();
    expect(again).toMatchObject({ fileId: 'file-3', attempt: 2 });
    await again!.done();
  });

  it('takes back the request of a node that died holding it, once its claim is stale', async () => {
    await nodeA.enqueue('file-4');
    const held = await nodeA.claim();
    expect(held?.fileId).toBe('file-4');
    const now = Date.now();

    vi.spyOn(Date, 'now').mockReturnValue(now + CLAIM_STALE_AFTER_MS / 2);
    expect(await nodeB.claim()).toBeNull();
    vi.spyOn(Date, 'now').mockReturnValue(now + CLAIM_STALE_AFTER_MS + 1_000);
    const taken = await nodeB.claim();
    expect(taken).toMatchObject({ fileId: 'file-4', attempt: 2 });
    // Only once: the new claim is fresh.
    expect(await nodeA.claim()).toBeNull();
    await taken!.done();
  });
});
