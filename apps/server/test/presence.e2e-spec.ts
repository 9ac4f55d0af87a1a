import { randomUUID } from 'node:crypto';
import { PRESENCE_WATCH_MAX, presenceBatchResponseSchema, presenceSchema, presenceWatchResultSchema } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { PresenceService } from '../src/modules/presence/presence.service';
import { bearer, createDirect, createGroup, registerUsers, type SignedIn } from './support/builders';
import { type ClientSocket, collect, emitWithAck, sleep } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

describe('presence', () => {
  const suite = useSocketSuite({ PRESENCE_TTL_SECONDS: '1' });
  const t = suite.app;

  /** Like the web client: a heartbeat well inside the TTL (1 s here) while connected. */
  const open = (user: SignedIn) => suite.open(user, { heartbeatMs: 250 });
  const setStatus = async (socket: ClientSocket, status: 'online' | 'away') => {
    socket.presenceStatus = status;
    return emitWithAck(socket, 'presence:heartbeat', { status });
  };
  /** Subscribes and returns what the ack says of each user, by id. */
  const watch = async (socket: ClientSocket, ...users: SignedIn[]) => {
    const ack = await emitWithAck(socket, 'presence:subscribe', { userIds: users.map((u) => u.auth.user.id) });
    expect(ack).toMatchObject({ ok: true });
    const { presences } = presenceWatchResultSchema.parse(ack);
    return Object.fromEntries(presences.map((p) => [p.userId, p]));
  };
  /** A socket of `user` that watches `watched`, and what it hears about them. */
  const watcher = async (user: SignedIn, ...watched: SignedIn[]) => {
    const socket = await open(user);
    const updates = collect(socket, 'presence:update');
    const seen = await watch(socket, ...watched);
    return { socket, updates, seen };
  };
  const befriend = async (a: SignedIn, b: SignedIn) => {
    await createDirect(t, a, b);
  };
  const setSharing = async (user: SignedIn, settings: object) => {
    expect((await t.http().patch('/api/users/me/settings').set(bearer(user)).send(settings)).status).toBe(200);
  };
  /** Ada (with `settings`, if any), a friend who shares a conversation with her and a stranger, both watching her; then Ada connects. */
  const adaWatchedByFriendAndStranger = async (settings?: object) => {
    const [ada, friend, stranger] = await registerUsers(t, 3);
    await befriend(ada, friend);
    if (settings) await setSharing(ada, settings);
    const contact = await watcher(friend, ada);
    const other = await watcher(stranger, ada);
    const adaSocket = await open(ada);
    return { ada: ada, friend: friend, stranger: stranger, contact, other, adaSocket };
  };
  const presenceOf = async (viewer: SignedIn, user: SignedIn) =>
    presenceSchema.parse((await t.http().get(`/api/users/${user.auth.user.id}/presence`).set(bearer(viewer))).body);
  const settle = () => sleep(250);
  const closeAndWait = async (socket: ClientSocket) => {
    socket.close();
    await settle();
  };

  it('stays online while any device is connected, and goes offline exactly once, only to sockets that subscribed', async () => {
    const [ada, friend, contactNotWatching] = await registerUsers(t, 3);
    await befriend(ada, friend);
    await befriend(ada, contactNotWatching);
    const { updates: friendSees } = await watcher(friend, ada);
    const unsubscribed = collect(await open(contactNotWatching), 'presence:update');

    const laptop = await open(ada);
    const phone = await open(ada);
    await friendSees.waitFor(1);
    expect(friendSees.items[0]).toMatchObject({ userId: ada.auth.user.id, status: 'online' });
    expect((await presenceOf(friend, ada)).status).toBe('online');

    await closeAndWait(laptop);
    // Well past the TTL: the phone's heartbeats keep Ada online.
    await sleep(1500);
    expect((await presenceOf(friend, ada)).status).toBe('online');
    expect(friendSees.items).toHaveLength(1);

    await closeAndWait(phone);
    await friendSees.waitFor(2);
    await sleep(1500);
    expect(friendSees.items.map((u) => u.status)).toEqual(['online', 'offline']);
    expect(friendSees.items[1].lastSeenAt).toBeDefined();
    // A contact who did not ask hears nothing: presence goes by interest, not by contact list.
    expect(unsubscribed.items).toHaveLength(0);
    const seen = await presenceOf(friend, ada);
    expect(seen).toMatchObject({ status: 'offline', lastActivity: null });
    expect(Date.now() - Date.parse(seen.lastSeenAt!)).toBeLessThan(10_000);
  });

  it('announces no change on heartbeats, and away only when every device is away', async () => {
    const [ada, friend] = await registerUsers(t, 2);
    await befriend(ada, friend);
    const { updates } = await watcher(friend, ada);
    const desk = await open(ada);
    const phone = await open(ada);
    await updates.waitFor(1);
    for (let i = 0; i < 3; i++) await setStatus(desk, 'online');
    await setStatus(phone, 'away');
    await settle();
    expect(updates.items.map((u) => u.status)).toEqual(['online']);
    await setStatus(desk, 'away');
    await updates.waitFor(2);
    expect(updates.items[1]).toMatchObject({ status: 'away' });
    expect((await presenceOf(friend, ada)).status).toBe('away');
    await setStatus(phone, 'online');
    await updates.waitFor(3);
    expect(updates.items.map((u) => u.status)).toEqual(['online', 'away', 'online']);
    expect(await emitWithAck(phone, 'presence:heartbeat', { status: 'busy' } as never)).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
  });

  it('takes a device whose heartbeats stopped without a disconnect offline after the TTL', async () => {
    const [ada, friend] = await registerUsers(t, 2);
    await befriend(ada, friend);
    const { updates } = await watcher(friend, ada);
    // A device on a node that died: it was registered, then nothing more ever came.
    await t.app.get(PresenceService).heartbeat(ada.auth.user.id, `ghost-${randomUUID()}`, 'online');
    await updates.waitFor(1);
    await updates.waitFor(2, 5000);
    expect(updates.items.map((u) => u.status)).toEqual(['online', 'offline']);
    await sleep(1500);
    expect(updates.items).toHaveLength(2);
  });

  describe('subscriptions', () => {
    it('answers the current presence of each user as the subscriber may see it, leaving out unknown ids', async () => {
      const [viewer, open1, friendsOnly, hidden, offline] = await registerUsers(t, 5);
      await setSharing(friendsOnly, { presenceSharing: 'friends' });
      await setSharing(hidden, { presenceSharing: 'nobody' });
      await Promise.all([open(friendsOnly), open(hidden)]);
      await setStatus(await open(open1), 'away');
      const socket = await open(viewer);
      const ack = await emitWithAck(socket, 'presence:subscribe', {
        userIds: [open1, friendsOnly, hidden, offline, viewer].map((u) => u.auth.user.id).concat(randomUUID(), open1.auth.user.id),
      });
      const byId = Object.fromEntries(presenceWatchResultSchema.parse(ack).presences.map((p) => [p.userId, p]));
      expect(Object.keys(byId).sort()).toEqual([open1, friendsOnly, hidden, offline, viewer].map((u) => u.auth.user.id).sort());
      expect(byId[open1.auth.user.id]).toMatchObject({ status: 'away', lastActivity: expect.any(String), lastSeenAt: null });
      expect(byId[friendsOnly.auth.user.id]).toEqual({ userId: friendsOnly.auth.user.id, status: 'offline', lastActivity: null, lastSeenAt: null });
      expect(byId[hidden.auth.user.id]).toEqual({ userId: hidden.auth.user.id, status: 'offline', lastActivity: null, lastSeenAt: null });
      expect(byId[offline.auth.user.id]).toMatchObject({ status: 'offline' });
      expect(byId[viewer.auth.user.id]).toMatchObject({ status: 'online' });
    });

    it('lets a stranger who subscribes follow an "everyone" user, and unsubscribing stops it', async () => {
      const [ada, stranger] = await registerUsers(t, 2);
      const { socket, updates, seen } = await watcher(stranger, ada);
      expect(seen[ada.auth.user.id]).toMatchObject({ status: 'offline' });
      const adaSocket = await open(ada);
      await updates.waitFor(1);
      expect(updates.items[0]).toMatchObject({ userId: ada.auth.user.id, status: 'online' });

      expect(await emitWithAck(socket, 'presence:unsubscribe', { userIds: [ada.auth.user.id] })).toEqual({ ok: true });
      await closeAndWait(adaSocket);
      await open(ada);
      await settle();
      expect(updates.items).toHaveLength(1);
    });

    it(`refuses to watch more than ${PRESENCE_WATCH_MAX} users per socket with PRESENCE_LIMIT, changing nothing`, async () => {
      const [viewer, ada, bob] = await registerUsers(t, 3);
      const { socket, updates } = await watcher(viewer, ada);
      const others = Array.from({ length: PRESENCE_WATCH_MAX - 1 }, () => randomUUID());
      expect(await emitWithAck(socket, 'presence:subscribe', { userIds: others })).toMatchObject({ ok: true });

      const refused = await emitWithAck(socket, 'presence:subscribe', { userIds: [bob.auth.user.id, ada.auth.user.id] });
      expect(refused).toMatchObject({ ok: false, code: 'PRESENCE_LIMIT', event: 'presence:subscribe' });
      // Users already watched do not count twice.
      expect(await emitWithAck(socket, 'presence:subscribe', { userIds: [ada.auth.user.id, others[0]] })).toMatchObject({ ok: true });
      await open(bob);
      await open(ada);
      await updates.waitFor(1);
      await settle();
      expect(updates.items.map((u) => u.userId)).toEqual([ada.auth.user.id]);

      // Room is made by unsubscribing.
      expect(await emitWithAck(socket, 'presence:unsubscribe', { userIds: [others[0]] })).toEqual({ ok: true });
      const seen = await watch(socket, bob);
      expect(seen[bob.auth.user.id]).toMatchObject({ status: 'online' });
    });

    it.each([
      ['no ids', { userIds: [] }],
      ['a bad id', { userIds: ['abc'] }],
      ['no userIds', {}],
      [`${PRESENCE_WATCH_MAX + 1} ids at once`, { userIds: Array.from({ length: PRESENCE_WATCH_MAX + 1 }, () => randomUUID()) }],
    ])('refuses %s with VALIDATION_ERROR', async (_case, payload) => {
      const [viewer] = await registerUsers(t, 1);
      const socket = await open(viewer);
      for (const event of ['presence:subscribe', 'presence:unsubscribe'] as const) {
        expect(await emitWithAck(socket, event, payload as never)).toMatchObject({ ok: false, code: 'VALIDATION_ERROR', event });
      }
      const errors = collect(socket, 'error');
      socket.emit('presence:subscribe', payload as never);
      expect((await errors.waitFor(1))[0]).toMatchObject({ code: 'VALIDATION_ERROR', event: 'presence:subscribe' });
    });
  });

  describe('privacy', () => {
    it('"friends" shows status only to people who share a conversation; strangers see offline without last seen', async () => {
      const { ada, friend, stranger, contact, other, adaSocket } = await adaWatchedByFriendAndStranger({ presenceSharing: 'friends' });
      await contact.updates.waitFor(1);
      expect((await presenceOf(friend, ada)).status).toBe('online');
      expect(await presenceOf(stranger, ada)).toMatchObject({ status: 'offline', lastActivity: null, lastSeenAt: null });
      expect((await presenceOf(ada, ada)).status).toBe('online');

      // The stranger subscribed too, and hears nothing, going online or offline.
      await closeAndWait(adaSocket);
      await contact.updates.waitFor(2);
      expect(other.seen[ada.auth.user.id]).toMatchObject({ status: 'offline', lastSeenAt: null });
      expect(other.updates.items).toHaveLength(0);
      const late = await watch(other.socket, ada);
      expect(late[ada.auth.user.id]).toMatchObject({ status: 'offline', lastSeenAt: null });
    });

    it('"everyone" shows status to a stranger who asks', async () => {
      const [ada, stranger] = await registerUsers(t, 2);
      await open(ada);
      await settle();
      expect((await presenceOf(stranger, ada)).status).toBe('online');
    });

    it.each([
      ['presenceSharing "nobody"', { presenceSharing: 'nobody' }],
      ['presenceEnabled false', { presenceEnabled: false }],
    ])('%s always appears offline with no last seen and announces nothing, but sees itself', async (_case, settings) => {
      const [ada, friend] = await registerUsers(t, 2);
      await befriend(ada, friend);
      await setSharing(ada, settings);
      const { updates, seen } = await watcher(friend, ada);
      expect(seen[ada.auth.user.id]).toMatchObject({ status: 'offline', lastSeenAt: null });
      const adaSocket = await open(ada);
      await settle();
      expect(await presenceOf(friend, ada)).toMatchObject({ status: 'offline', lastSeenAt: null });
      expect((await presenceOf(ada, ada)).status).toBe('online');
      expect((await watch(adaSocket, ada))[ada.auth.user.id]).toMatchObject({ status: 'online' });
      await closeAndWait(adaSocket);
      expect(updates.items).toHaveLength(0);
      expect((await presenceOf(friend, ada)).lastSeenAt).toBeNull();
    });

    it('switching to "nobody" while online looks like going offline to watchers', async () => {
      const [ada, friend] = await registerUsers(t, 2);
      await befriend(ada, friend);
      const { updates } = await watcher(friend, ada);
      const adaSocket = await open(ada);
      await updates.waitFor(1);
      await setSharing(ada, { presenceSharing: 'nobody' });
      await updates.waitFor(2);
      expect(updates.items[1]).toEqual({ userId: ada.auth.user.id, status: 'offline' });
      await setStatus(adaSocket, 'away');
      await settle();
      expect(updates.items).toHaveLength(2);
    });

    it('switching from "everyone" to "friends" makes a watcher who is not a contact see offline and nothing after', async () => {
      const { ada, contact, other, adaSocket } = await adaWatchedByFriendAndStranger();
      await Promise.all([contact.updates.waitFor(1), other.updates.waitFor(1)]);

      await setSharing(ada, { presenceSharing: 'friends' });
      await other.updates.waitFor(2);
      expect(other.updates.items[1]).toEqual({ userId: ada.auth.user.id, status: 'offline' });
      await setStatus(adaSocket, 'away');
      await contact.updates.waitFor(2);
      await settle();
      expect(contact.updates.items.map((u) => u.status)).toEqual(['online', 'away']);
      expect(other.updates.items).toHaveLength(2);
    });

    it('opening up lets in the watchers who may now see the user, with the current status', async () => {
      const { ada, contact, other, adaSocket } = await adaWatchedByFriendAndStranger({ presenceSharing: 'nobody' });
      await settle();

      await setSharing(ada, { presenceSharing: 'friends', presenceEnabled: true });
      await contact.updates.waitFor(1);
      expect(contact.updates.items[0]).toMatchObject({ userId: ada.auth.user.id, status: 'online' });
      await settle();
      expect(other.updates.items).toHaveLength(0);

      await setSharing(ada, { presenceSharing: 'everyone' });
      await other.updates.waitFor(1);
      expect(other.updates.items[0]).toMatchObject({ userId: ada.auth.user.id, status: 'online' });
      await setStatus(adaSocket, 'away');
      await Promise.all([contact.updates.waitFor(2), other.updates.waitFor(2)]);
      await settle();
      // The contact, already in, was not told "online" twice.
      expect(contact.updates.items.map((u) => u.status)).toEqual(['online', 'away']);
      expect(other.updates.items.map((u) => u.status)).toEqual(['online', 'away']);
    });

    it('a "friends" user is hidden from a former co-member once they share no conversation, both ways', async () => {
      const [ada, bob, owner] = await registerUsers(t, 3);
      await setSharing(ada, { presenceSharing: 'friends' });
      await setSharing(bob, { presenceSharing: 'friends' });
      const groupId = (await createGroup(t, owner, [ada, bob], { title: 'Team' })).id;
      const bobWatchesAda = await watcher(bob, ada);
      const adaWatchesBob = await watcher(ada, bob);
      // The owner stays in the group with Ada: still a contact of hers, no longer of Bob's.
      const ownerWatches = await watcher(owner, ada);
      await bobWatchesAda.updates.waitFor(1);
      expect(adaWatchesBob.seen[bob.auth.user.id]).toMatchObject({ status: 'online' });

      expect((await t.http().delete(`/api/conversations/${groupId}/leave`).set(bearer(bob))).status).toBeLessThan(300);
      await Promise.all([adaWatchesBob.updates.waitFor(1), bobWatchesAda.updates.waitFor(2)]);
      expect(adaWatchesBob.updates.items.at(-1)).toEqual({ userId: bob.auth.user.id, status: 'offline' });
      expect(bobWatchesAda.updates.items.at(-1)).toEqual({ userId: ada.auth.user.id, status: 'offline' });
      await Promise.all([setStatus(adaWatchesBob.socket, 'away'), setStatus(bobWatchesAda.socket, 'away')]);
      await ownerWatches.updates.waitFor(1);
      await settle();
      expect(ownerWatches.updates.items).toEqual([expect.objectContaining({ userId: ada.auth.user.id, status: 'away' })]);
      expect(adaWatchesBob.updates.items).toHaveLength(1);
      expect(bobWatchesAda.updates.items).toHaveLength(2);
      expect(await presenceOf(ada, bob)).toMatchObject({ status: 'offline', lastActivity: null });

      // A new conversation makes them contacts again: watchers are let back in, told the status.
      await befriend(ada, bob);
      await Promise.all([adaWatchesBob.updates.waitFor(2), bobWatchesAda.updates.waitFor(3)]);
      expect(adaWatchesBob.updates.items.at(-1)).toMatchObject({ userId: bob.auth.user.id, status: 'away' });
      expect(bobWatchesAda.updates.items.at(-1)).toMatchObject({ userId: ada.auth.user.id, status: 'away' });
    });

    it('someone who still shares another conversation keeps seeing a "friends" user after leaving a group', async () => {
      const [ada, bob, owner] = await registerUsers(t, 3);
      await setSharing(ada, { presenceSharing: 'friends' });
      await befriend(ada, bob);
      const res = await t
        .http()
        .post('/api/conversations')
        .set(bearer(owner))
        .send({ type: 'group', title: 'Team', participantIds: [ada.auth.user.id, bob.auth.user.id] });
      const { updates } = await watcher(bob, ada);
      const adaSocket = await open(ada);
      await updates.waitFor(1);
      expect((await t.http().delete(`/api/conversations/${res.body.id}/leave`).set(bearer(bob))).status).toBeLessThan(300);
      await setStatus(adaSocket, 'away');
      await updates.waitFor(2);
      await settle();
      expect(updates.items.map((u) => u.status)).toEqual(['online', 'away']);
    });
  });

  describe('batch endpoint', () => {
    it('answers for up to 100 ids, leaving out unknown ones', async () => {
      const [viewer, a, b] = await registerUsers(t, 3);
      await open(a);
      await settle();
      const ids = [a.auth.user.id, b.auth.user.id, randomUUID(), a.auth.user.id].join(',');
      const res = presenceBatchResponseSchema.parse((await t.http().get(`/api/presence?userIds=${ids}`).set(bearer(viewer))).body);
      expect(Object.fromEntries(res.presences.map((p) => [p.userId, p.status]))).toEqual({ [a.auth.user.id]: 'online', [b.auth.user.id]: 'offline' });
    });

    it.each([
      ['no ids', ''],
      ['101 ids', `userIds=${Array.from({ length: 101 }, () => randomUUID()).join(',')}`],
      ['a bad id', 'userIds=abc'],
      ['an empty list', 'userIds=,,'],
    ])('rejects %s with 400', async (_case, query) => {
      const [viewer] = await registerUsers(t, 1);
      expect((await t.http().get(`/api/presence?${query}`).set(bearer(viewer))).status).toBe(400);
    });

    it('answers 400 for a bad id and 404 for an unknown user on the single endpoint', async () => {
      const [viewer] = await registerUsers(t, 1);
      expect((await t.http().get('/api/users/abc/presence').set(bearer(viewer))).status).toBe(400);
      expect((await t.http().get(`/api/users/${randomUUID()}/presence`).set(bearer(viewer))).status).toBe(404);
      expect((await t.http().get(`/api/users/${viewer.auth.user.id}/presence`)).status).toBe(401);
    });
  });
});
