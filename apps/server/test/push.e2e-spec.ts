import { randomUUID } from 'node:crypto';
import { pushSubscriptions } from '@chat/db';
import type { Message } from '@chat/shared';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { type TestSubscription, usePushService, waitForCount } from './support/push-service';
import { emitWithAck, sleep } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';
import { TEST_SECRETS } from './support/test-app';

const IDLE_SECONDS = 1;
/** Long enough past the idle time (and a retry's backoff) that a push that was going to come has come. */
const SETTLE_MS = IDLE_SECONDS * 1000 + 1_500;

describe('Web Push', () => {
  const pushService = usePushService();
  const suite = useSocketSuite(async () => ({
    MESSAGE_RATE_LIMIT: '100000',
    PUSH_ENDPOINT_ALLOWLIST: pushService.host,
    PUSH_IDLE_SECONDS: String(IDLE_SECONDS),
    // The hanging push service test holds a request open for as long as it likes.
    PUSH_TIMEOUT_SECONDS: '60',
  }));
  const http = () => suite.app.http();

  const subscribe = (user: SignedIn, body: unknown) =>
    http()
      .post('/api/push/subscriptions')
      .set(bearer(user))
      .send(body as object);
  async function subscribed(user: SignedIn): Promise<TestSubscription & { id: string }> {
    const sub = pushService.subscription();
    const res = await subscribe(user, sub.json);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { ...sub, id: res.body.id as string };
  }
  const say = async (user: SignedIn, conversationId: string, content = 'hello', extra: Record<string, unknown> = {}) => {
    const res = await http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(user))
      .send({ content, clientMessageId: randomUUID(), ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Message;
  };
  async function pair() {
    const [ann, ben] = await registerUsers(suite.app, 2);
    const { id } = await createDirect<{ id: string }>(suite.app, ann, ben);
    return { ann, ben, id };
  }
  const stored = (id: string) => dbProbe(suite.app).db.$count(pushSubscriptions, eq(pushSubscriptions.id, id));

  it('answers the VAPID public key to signed-in users', async () => {
    const [ann] = await registerUsers(suite.app, 1);
    await http().get('/api/push/vapid-public-key').expect(401);
    const res = await http().get('/api/push/vapid-public-key').set(bearer(ann)).expect(200);
    expect(res.body).toEqual({ publicKey: TEST_SECRETS.VAPID_PUBLIC_KEY });
  });

  it('stores a subscription, moves an endpoint subscribed again to its new user, and deletes only your own', async () => {
    const [ann, ben] = await registerUsers(suite.app, 2);
    const sub = pushService.subscription();

    // As PushSubscription.toJSON() gives it, expirationTime included.
    const first = await subscribe(ann, { ...sub.json, expirationTime: null }).expect(201);
    expect(first.body).toEqual({ id: expect.any(String), endpoint: sub.json.endpoint, createdAt: expect.any(String) });
    const again = await subscribe(ann, sub.json).expect(200);
    expect(again.body.id).toBe(first.body.id);
    // The browser profile changed hands: the endpoint is Ben's now.
    await subscribe(ben, sub.json).expect(200);
    await http().delete(`/api/push/subscriptions/${first.body.id}`).set(bearer(ann)).expect(404);
    await http().delete('/api/push/subscriptions/not-a-uuid').set(bearer(ben)).expect(400);
    await http().delete(`/api/push/subscriptions/${first.body.id}`).set(bearer(ben)).expect(204);
    expect(await stored(first.body.id)).toBe(0);
  });

  it('refuses endpoints that are not public https addresses and keys that are not a P-256 subscription, storing nothing', async () => {
    const [ann] = await registerUsers(suite.app, 1);
    const { json } = pushService.subscription();
    const port = pushService.host.split(':')[1];
    const refused: Array<[unknown, string]> = [
      [{ ...json, endpoint: 'http://push.example.com/send/1' }, 'endpoint'],
      [{ ...json, endpoint: 'https://10.0.0.8/send/1' }, 'endpoint'],
      [{ ...json, endpoint: 'https://[::ffff:127.0.0.1]/send/1' }, 'endpoint'],
      [{ ...json, endpoint: `https://127.0.0.1:${Number(port) + 1}/send/1` }, 'endpoint'],
      [{ ...json, endpoint: 'https://user:secret@push.example.com/send/1' }, 'endpoint'],
      [{ ...json, endpoint: `https://push.example.com/${'a'.repeat(2048)}` }, 'endpoint'],
      [{ ...json, keys: { ...json.keys, p256dh: json.keys.p256dh.slice(0, -2) } }, 'keys.p256dh'],
      [{ ...json, keys: { ...json.keys, p256dh: `A${json.keys.p256dh.slice(1)}` } }, 'keys.p256dh'],
      [{ ...json, keys: { ...json.keys, auth: Buffer.alloc(15).toString('base64url') } }, 'keys.auth'],
      [{ ...json, keys: { ...json.keys, auth: '!!!!!!!!!!!!!!!!!!!!!!' } }, 'keys.auth'],
      [{ endpoint: json.endpoint }, 'keys'],
    ];
    for (const [body, path] of refused) {
      const res = await subscribe(ann, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.details?.map((detail: { path: string }) => detail.path)).toContain(path);
    }
    expect(await dbProbe(suite.app).db.$count(pushSubscriptions, eq(pushSubscriptions.userId, ann.auth.user.id))).toBe(0);
  });

  it('pushes a message once to each device of a recipient with no socket, encrypted for that device', async () => {
    const { ann, ben, id } = await pair();
    const [phone, laptop] = [await subscribed(ben), await subscribed(ben)];

    const message = await say(ann, id, 'lunch at @Ben’s?');
    await waitForCount(() => pushService.pushesTo(phone).length + pushService.pushesTo(laptop).length, 2, 'pushes');
    await sleep(SETTLE_MS);

    for (const device of [phone, laptop]) {
      const pushes = pushService.pushesTo(device);
      expect(pushes).toHaveLength(1);
      const [push] = pushes;
      expect(pushService.open(push, device)).toEqual({
        v: 1,
        conversationId: id,
        messageId: message.id,
        seq: message.seq,
        title: ann.auth.user.displayName,
        body: 'lunch at @Ben’s?',
        url: `/c/${id}?message=${message.id}&seq=${message.seq}`,
        tag: id,
      });
      expect(push.headers).toMatchObject({ ttl: '86400', urgency: 'high', topic: id.replaceAll('-', ''), 'content-encoding': 'aes128gcm' });
      expect(push.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${TEST_SECRETS.VAPID_PUBLIC_KEY}$`));
      // The JWT names the push service as its audience and is still valid for hours.
      const claims = JSON.parse(Buffer.from(push.headers.authorization!.split(' ')[1].split('.')[1], 'base64url').toString()) as { aud: string; exp: number };
      expect(claims.aud).toBe(`http://${pushService.host}`);
      expect(claims.exp * 1000).toBeGreaterThan(Date.now() + 3600_000);
    }
    // The sender's own devices hear nothing of their message.
    const annsDevice = await subscribed(ann);
    await say(ann, id, 'again');
    await waitForCount(() => pushService.pushesTo(phone).length, 2, 'second push');
    await sleep(SETTLE_MS);
    expect(pushService.pushesTo(annsDevice)).toHaveLength(0);
  });

  it('pushes group messages at normal urgency under the group title, urgent when mentioned, and a resend never again', async () => {
    const [ann, ben, cat] = await registerUsers(suite.app, 3);
    const { id } = await createGroup<{ id: string }>(suite.app, ann, [ben, cat], { title: 'Team' });
    const [benDevice, catDevice] = [await subscribed(ben), await subscribed(cat)];

    const clientMessageId = randomUUID();
    await say(ann, id, '@Cat see this', { clientMessageId, mentions: { userIds: [cat.auth.user.id] } });
    await waitForCount(() => pushService.pushesTo(benDevice).length + pushService.pushesTo(catDevice).length, 2, 'pushes');
    // The same send again (a retry after a lost answer) is the stored message, already pushed.
    await http()
      .post(`/api/conversations/${id}/messages`)
      .set(bearer(ann))
      .send({ content: '@Cat see this', clientMessageId, mentions: { userIds: [cat.auth.user.id] } })
      .expect(200);
    await sleep(SETTLE_MS);

    const [toBen] = pushService.pushesTo(benDevice);
    const [toCat] = pushService.pushesTo(catDevice);
    expect(pushService.pushesTo(benDevice)).toHaveLength(1);
    expect(pushService.pushesTo(catDevice)).toHaveLength(1);
    expect(toBen.headers.urgency).toBe('normal');
    expect(toCat.headers.urgency).toBe('high');
    expect(pushService.open(toBen, benDevice).title).toBe(`${ann.auth.user.displayName} · Team`);
  });

  it('pushes nothing to a recipient whose live socket reads the message within the idle time', async () => {
    const { ann, ben, id } = await pair();
    const device = await subscribed(ben);
    const socket = await suite.open(ben, { heartbeatMs: 200 });

    const message = await say(ann, id);
    expect(await emitWithAck(socket, 'receipt:read', { conversationId: id, messageId: message.id })).toMatchObject({ ok: true });
    await sleep(SETTLE_MS);

    expect(pushService.pushesTo(device)).toHaveLength(0);
  });

  it('pushes once to a recipient whose live socket leaves the message unread past the idle time', async () => {
    const { ann, ben, id } = await pair();
    const device = await subscribed(ben);
    await suite.open(ben, { heartbeatMs: 200 });

    const message = await say(ann, id);
    await waitForCount(() => pushService.pushesTo(device).length, 1, 'idle push');
    await sleep(SETTLE_MS);

    expect(pushService.pushesTo(device)).toHaveLength(1);
    expect(pushService.open(pushService.pushesTo(device)[0], device).messageId).toBe(message.id);
  });

  it('removes a subscription the push service says is gone (410)', async () => {
    const { ann, ben, id } = await pair();
    const device = await subscribed(ben);
    pushService.answer(device, 410);

    await say(ann, id);
    await waitForCount(() => pushService.pushesTo(device).length, 1, 'push');
    for (let tries = 0; (await stored(device.id)) > 0 && tries < 100; tries++) await sleep(50);

    expect(await stored(device.id)).toBe(0);
    await http().delete(`/api/push/subscriptions/${device.id}`).set(bearer(ben)).expect(404);
  });

  it('tries again after a 500 and delivers once', async () => {
    const { ann, ben, id } = await pair();
    const device = await subscribed(ben);
    pushService.answer(device, 500);

    const message = await say(ann, id);
    await waitForCount(() => pushService.pushesTo(device).length, 2, 'push and its retry');
    await sleep(SETTLE_MS);

    const pushes = pushService.pushesTo(device);
    expect(pushes).toHaveLength(2);
    expect(pushService.open(pushes[1], device).messageId).toBe(message.id);
    const [row] = await dbProbe(suite.app).db.select().from(pushSubscriptions).where(eq(pushSubscriptions.id, device.id));
    expect(row).toMatchObject({ failureCount: 0, lastSuccessAt: expect.any(Date) });
  });

  it('a push service that does not answer never delays a send', async () => {
    const { ann, ben, id } = await pair();
    const device = await subscribed(ben);
    pushService.answer(device, 'hang', 'hang');
    const socket = await suite.open(ann);

    const first = await emitWithAck(socket, 'message:send', { conversationId: id, clientMessageId: randomUUID(), content: 'one' });
    expect(first.ok, JSON.stringify(first)).toBe(true);
    await waitForCount(() => pushService.pushesTo(device).length, 1, 'hanging push');
    // The push of the first message is still waiting for its answer while the next send is acknowledged.
    const second = await emitWithAck(socket, 'message:send', { conversationId: id, clientMessageId: randomUUID(), content: 'two' });

    expect(second.ok, JSON.stringify(second)).toBe(true);
    expect(pushService.openRequests()).toBeGreaterThanOrEqual(1);
    pushService.release();
  });
});
