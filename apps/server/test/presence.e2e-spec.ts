import { randomUUID } from 'node:crypto';
import { presenceBatchResponseSchema, presenceSchema } from '@chat/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PresenceService } from '../src/modules/presence/presence.service';
import { bearer, registerUsers, type SignedIn } from './support/builders';
import { type ClientSocket, collect, connectSocket, emitWithAck, sleep } from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';

describe('presence', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  /** Like the web client: a heartbeat well inside the TTL (1 s here) while connected. */
  const open = async (user: SignedIn, status: 'online' | 'away' = 'online') => {
    const socket = await connectSocket(t.baseUrl, user.auth.accessToken);
    const beat = setInterval(() => socket.emit('presence:heartbeat', { status: (socket as ClientSocket & { status?: 'online' | 'away' }).status ?? status }), 250);
    socket.on('disconnect', () => clearInterval(beat));
    sockets.push(socket);
    return socket;
  };
  const setStatus = async (socket: ClientSocket, status: 'online' | 'away') => {
    (socket as ClientSocket & { status?: 'online' | 'away' }).status = status;
    return emitWithAck(socket, 'presence:heartbeat', { status });
  };
  const befriend = async (a: SignedIn, b: SignedIn) => {
    await t.http().post('/api/conversations').set(bearer(a)).send({ type: 'direct', participantIds: [b.auth.user.id] });
  };
  const presenceOf = async (viewer: SignedIn, user: SignedIn) => presenceSchema.parse((await t.http().get(`/api/users/${user.auth.user.id}/presence`).set(bearer(viewer))).body);
  const settle = () => sleep(250);
  const closeAndWait = async (socket: ClientSocket) => {
    socket.close();
    await settle();
  };

  beforeAll(async () => {
    t = await startTestApp({ PRESENCE_TTL_SECONDS: '1' });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(() => t?.close());

  it('stays online while any device is connected, and goes offline exactly once, only to people who share a conversation', async () => {
    const [ada, friend, stranger] = await registerUsers(t.http, 3);
    await befriend(ada!, friend!);
    const friendSocket = await open(friend!);
    const strangerSocket = await open(stranger!);
    const friendSees = collect(friendSocket, 'presence:update');
    const strangerSees = collect(strangerSocket, 'presence:update');

    const laptop = await open(ada!);
    const phone = await open(ada!);
    await friendSees.waitFor(1);
    expect(friendSees.items[0]).toMatchObject({ userId: ada!.auth.user.id, status: 'online' });
    expect((await presenceOf(friend!, ada!)).status).toBe('online');

    await closeAndWait(laptop);
    // Well past the TTL: the phone's heartbeats keep Ada online.
    await sleep(1500);
    expect((await presenceOf(friend!, ada!)).status).toBe('online');
    expect(friendSees.items).toHaveLength(1);

    await closeAndWait(phone);
    await friendSees.waitFor(2);
    await sleep(1500);
    expect(friendSees.items.map((u) => u.status)).toEqual(['online', 'offline']);
    expect(friendSees.items[1]!.lastSeenAt).toBeDefined();
    expect(strangerSees.items).toHaveLength(0);
    const seen = await presenceOf(friend!, ada!);
    expect(seen).toMatchObject({ status: 'offline', lastActivity: null });
    expect(Date.now() - Date.parse(seen.lastSeenAt!)).toBeLessThan(10_000);
  });

  it('announces no change on heartbeats, and away only when every device is away', async () => {
    const [ada, friend] = await registerUsers(t.http, 2);
    await befriend(ada!, friend!);
    const friendSocket = await open(friend!);
    const updates = collect(friendSocket, 'presence:update');
    const desk = await open(ada!);
    const phone = await open(ada!);
    await updates.waitFor(1);
    for (let i = 0; i < 3; i++) await setStatus(desk, 'online');
    await setStatus(phone, 'away');
    await settle();
    expect(updates.items.map((u) => u.status)).toEqual(['online']);
    await setStatus(desk, 'away');
    await updates.waitFor(2);
    expect(updates.items[1]).toMatchObject({ status: 'away' });
    expect((await presenceOf(friend!, ada!)).status).toBe('away');
    await setStatus(phone, 'online');
    await updates.waitFor(3);
    expect(updates.items.map((u) => u.status)).toEqual(['online', 'away', 'online']);
    expect(await emitWithAck(phone, 'presence:heartbeat', { status: 'busy' } as never)).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
  });

  it('takes a device whose heartbeats stopped without a disconnect offline after the TTL', async () => {
    const [ada, friend] = await registerUsers(t.http, 2);
    await befriend(ada!, friend!);
    const friendSocket = await open(friend!);
    const updates = collect(friendSocket, 'presence:update');
    // A device on a node that died: it was registered, then nothing more ever came.
    await t.app.get(PresenceService).heartbeat(ada!.auth.user.id, `ghost-${randomUUID()}`, 'online');
    await updates.waitFor(1);
    await updates.waitFor(2, 5000);
    expect(updates.items.map((u) => u.status)).toEqual(['online', 'offline']);
    await sleep(1500);
    expect(updates.items).toHaveLength(2);
  });

  describe('privacy', () => {
    it('"friends" shows status only to people who share a conversation; strangers see offline without last seen', async () => {
      const [ada, friend, stranger] = await registerUsers(t.http, 3);
      await befriend(ada!, friend!);
      await t.http().patch('/api/users/me/settings').set(bearer(ada!)).send({ presenceSharing: 'friends' });
      await open(ada!);
      await settle();
      expect((await presenceOf(friend!, ada!)).status).toBe('online');
      expect(await presenceOf(stranger!, ada!)).toMatchObject({ status: 'offline', lastActivity: null, lastSeenAt: null });
      expect((await presenceOf(ada!, ada!)).status).toBe('online');
    });

    it('"everyone" shows status to a stranger who asks', async () => {
      const [ada, stranger] = await registerUsers(t.http, 2);
      await open(ada!);
      await settle();
      expect((await presenceOf(stranger!, ada!)).status).toBe('online');
    });

    it.each([
      ['presenceSharing "nobody"', { presenceSharing: 'nobody' }],
      ['presenceEnabled false', { presenceEnabled: false }],
    ])('%s always appears offline with no last seen and announces nothing, but sees itself', async (_case, settings) => {
      const [ada, friend] = await registerUsers(t.http, 2);
      await befriend(ada!, friend!);
      await t.http().patch('/api/users/me/settings').set(bearer(ada!)).send(settings);
      const friendSocket = await open(friend!);
      const updates = collect(friendSocket, 'presence:update');
      const adaSocket = await open(ada!);
      await settle();
      expect(await presenceOf(friend!, ada!)).toMatchObject({ status: 'offline', lastSeenAt: null });
      expect((await presenceOf(ada!, ada!)).status).toBe('online');
      await closeAndWait(adaSocket);
      expect(updates.items).toHaveLength(0);
      expect((await presenceOf(friend!, ada!)).lastSeenAt).toBeNull();
    });

    it('switching to "nobody" while online looks like going offline to contacts', async () => {
      const [ada, friend] = await registerUsers(t.http, 2);
      await befriend(ada!, friend!);
      const friendSocket = await open(friend!);
      const updates = collect(friendSocket, 'presence:update');
      await open(ada!);
      await updates.waitFor(1);
      await t.http().patch('/api/users/me/settings').set(bearer(ada!)).send({ presenceSharing: 'nobody' });
      await updates.waitFor(2);
      expect(updates.items[1]).toEqual({ userId: ada!.auth.user.id, status: 'offline' });
    });
  });

  describe('batch endpoint', () => {
    it('answers for up to 100 ids, leaving out unknown ones', async () => {
      const [viewer, a, b] = await registerUsers(t.http, 3);
      await open(a!);
      await settle();
      const ids = [a!.auth.user.id, b!.auth.user.id, randomUUID(), a!.auth.user.id].join(',');
      const res = presenceBatchResponseSchema.parse((await t.http().get(`/api/presence?userIds=${ids}`).set(bearer(viewer!))).body);
      expect(Object.fromEntries(res.presences.map((p) => [p.userId, p.status]))).toEqual({ [a!.auth.user.id]: 'online', [b!.auth.user.id]: 'offline' });
    });

    it.each([
      ['no ids', ''],
      ['101 ids', `userIds=${Array.from({ length: 101 }, () => randomUUID()).join(',')}`],
      ['a bad id', 'userIds=abc'],
      ['an empty list', 'userIds=,,'],
    ])('rejects %s with 400', async (_case, query) => {
      const [viewer] = await registerUsers(t.http, 1);
      expect((await t.http().get(`/api/presence?${query}`).set(bearer(viewer!))).status).toBe(400);
    });

    it('answers 400 for a bad id and 404 for an unknown user on the single endpoint', async () => {
      const [viewer] = await registerUsers(t.http, 1);
      expect((await t.http().get('/api/users/abc/presence').set(bearer(viewer!))).status).toBe(400);
      expect((await t.http().get(`/api/users/${randomUUID()}/presence`).set(bearer(viewer!))).status).toBe(404);
      expect((await t.http().get(`/api/users/${viewer!.auth.user.id}/presence`)).status).toBe(401);
    });
  });
});
