import { randomUUID } from 'node:crypto';
import type { Message } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUsers, type SignedIn } from './support/builders';
import { type TestSubscription, usePushService, waitForCount } from './support/push-service';
import { emitWithAck, sleep } from './support/sockets';
import { useSocketCluster } from './support/socket-suite';
import type { TestApp } from './support/test-app';

const IDLE_SECONDS = 1;
/** Long enough past the idle time (and a retry's backoff) that a duplicate from the other node would have come. */
const SETTLE_MS = IDLE_SECONDS * 1000 + 2_000;

describe('Web Push across two nodes (PostgreSQL + Redis)', () => {
  const pushService = usePushService();
  const { node, open } = useSocketCluster(2, async () => ({
    MESSAGE_RATE_LIMIT: '1000',
    PUSH_ENDPOINT_ALLOWLIST: pushService.host,
    PUSH_IDLE_SECONDS: String(IDLE_SECONDS),
  }));

  async function subscribed(target: TestApp, user: SignedIn): Promise<TestSubscription> {
    const sub = pushService.subscription();
    await target.http().post('/api/push/subscriptions').set(bearer(user)).send(sub.json).expect(201);
    return sub;
  }
  const say = async (target: TestApp, user: SignedIn, conversationId: string) =>
    (
      await target
        .http()
        .post(`/api/conversations/${conversationId}/messages`)
        .set(bearer(user))
        .send({ content: 'across', clientMessageId: randomUUID() })
        .expect(201)
    ).body as Message;
  async function pair() {
    const [ann, ben] = await registerUsers(node(0), 2);
    const { id } = await createDirect<{ id: string }>(node(0), ann, ben);
    return { ann, ben, id };
  }

  it('a message stored on one node is pushed exactly once to each device of an offline recipient, with both nodes sending', async () => {
    const { ann, ben, id } = await pair();
    const devices = [await subscribed(node(1), ben), await subscribed(node(0), ben)];

    const messages = [await say(node(0), ann, id), await say(node(1), ann, id), await say(node(0), ann, id)];
    await waitForCount(() => devices.reduce((sum, device) => sum + pushService.pushesTo(device).length, 0), 6, 'pushes');
    await sleep(SETTLE_MS);

    for (const device of devices) {
      const pushed = pushService.pushesTo(device).map((push) => pushService.open(push, device).messageId);
      expect(pushed.sort()).toEqual(messages.map((message) => message.id).sort());
    }
  });

  it('a retry after a 500 is sent once, whichever node takes it', async () => {
    const { ann, ben, id } = await pair();
    const device = await subscribed(node(0), ben);
    pushService.answer(device, 500);

    await say(node(0), ann, id);
    await waitForCount(() => pushService.pushesTo(device).length, 2, 'push and its retry');
    await sleep(SETTLE_MS);

    expect(pushService.pushesTo(device)).toHaveLength(2);
  });

  it('a socket on the other node holds the push back until the idle time, and a read there cancels it', async () => {
    const { ann, ben, id } = await pair();
    const device = await subscribed(node(0), ben);
    const benOnB = await open(1, ben, { heartbeatMs: 200 });

    const read = await say(node(0), ann, id);
    expect(await emitWithAck(benOnB, 'receipt:read', { conversationId: id, messageId: read.id })).toMatchObject({ ok: true });
    const unread = await say(node(0), ann, id);
    await waitForCount(() => pushService.pushesTo(device).length, 1, 'idle push');
    await sleep(SETTLE_MS);

    expect(pushService.pushesTo(device).map((push) => pushService.open(push, device).messageId)).toEqual([unread.id]);
  });

  // Each node remembers which members of a room can be pushed to; these pin that it forgets in time.
  it('a device subscribed on one node is pushed the next message stored on the other, which had found nobody to push to', async () => {
    const { ann, ben, id } = await pair();
    await say(node(1), ann, id);
    const device = await subscribed(node(0), ben);

    const next = await say(node(1), ann, id);
    await waitForCount(() => pushService.pushesTo(device).length, 1, 'push');
    await sleep(SETTLE_MS);

    expect(pushService.pushesTo(device).map((push) => pushService.open(push, device).messageId)).toEqual([next.id]);
  });

  it('a subscribed user added to a group on one node is pushed the next message stored on the other', async () => {
    const [ann, ben, cat] = await registerUsers(node(0), 3);
    const device = await subscribed(node(0), cat);
    const group = await createGroup<{ id: string }>(node(0), ann, [ben]);
    await say(node(1), ann, group.id);

    await node(0)
      .http()
      .post(`/api/conversations/${group.id}/participants`)
      .set(bearer(ann))
      .send({ userIds: [cat.id] })
      .expect(200);
    const next = await say(node(1), ann, group.id);
    await waitForCount(() => pushService.pushesTo(device).length, 1, 'push');
    await sleep(SETTLE_MS);

    expect(pushService.pushesTo(device).map((push) => pushService.open(push, device).messageId)).toEqual([next.id]);
  });

  it('a device unsubscribed on one node is not pushed what the other node stores next', async () => {
    const { ann, ben, id } = await pair();
    const device = pushService.subscription();
    const stored = (await node(0).http().post('/api/push/subscriptions').set(bearer(ben)).send(device.json).expect(201)).body as { id: string };
    await say(node(1), ann, id);
    await waitForCount(() => pushService.pushesTo(device).length, 1, 'push');

    await node(0).http().delete(`/api/push/subscriptions/${stored.id}`).set(bearer(ben)).expect(204);
    await say(node(1), ann, id);
    await sleep(SETTLE_MS);

    expect(pushService.pushesTo(device)).toHaveLength(1);
  });
});
