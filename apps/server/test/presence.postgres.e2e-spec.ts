import request from 'supertest';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { presenceWatchResultSchema } from '@chat/shared';
import { bearer, createDirect, registerUsers, type SignedIn } from './support/builders';
import { createTestInfra } from './support/infra';
import { freePort, spawnServer, waitUntilReady } from './support/server-process';
import { type ClientSocket, collect, connectSocket, emitWithAck, sleep, socketOpener } from './support/sockets';
import { useSocketCluster } from './support/socket-suite';
import { TEST_SECRETS, useProductionNodes } from './support/test-app';

/** Heartbeats like a real client, well inside the TTL. */
const BEAT = { heartbeatMs: 300 };

const subscribe = async (socket: ClientSocket, ...users: SignedIn[]) => {
  const ack = await emitWithAck(socket, 'presence:subscribe', { userIds: users.map((u) => u.auth.user.id) });
  expect(ack).toMatchObject({ ok: true });
  return Object.fromEntries(presenceWatchResultSchema.parse(ack).presences.map((p) => [p.userId, p]));
};

describe('presence by interest across two nodes', () => {
  const cluster = useSocketCluster(2);
  const open = (node: number, user: SignedIn) => cluster.open(node, user);
  const http = () => cluster.node(0).http();
  const setSharing = async (user: SignedIn, presenceSharing: 'everyone' | 'friends') => {
    expect((await http().patch('/api/users/me/settings').set(bearer(user)).send({ presenceSharing })).status).toBe(200);
  };
  const heartbeat = (socket: ClientSocket, status: 'online' | 'away') => emitWithAck(socket, 'presence:heartbeat', { status });

  it('delivers a transition on node A to the subscribers on node B, and to no one else there', async () => {
    const [ada, watcher, contact] = await registerUsers(cluster.nodes[0], 3);
    await createDirect(cluster.nodes[0], ada, contact);
    const watching = await open(1, watcher);
    const updates = collect(watching, 'presence:update');
    expect((await subscribe(watching, ada))[ada.auth.user.id]).toMatchObject({ status: 'offline' });
    const notWatching = collect(await open(1, contact), 'presence:update');

    const adaSocket = await open(0, ada);
    await updates.waitFor(1);
    adaSocket.close();
    await updates.waitFor(2);
    await sleep(500);
    expect(updates.items.map((u) => [u.userId, u.status])).toEqual([
      [ada.auth.user.id, 'online'],
      [ada.auth.user.id, 'offline'],
    ]);
    expect(notWatching.items).toHaveLength(0);
  });

  it('keeps "friends" privacy across nodes as the user changes it and leaves a conversation', async () => {
    const [ada, friend, stranger] = await registerUsers(cluster.nodes[0], 3);
    const direct = await http()
      .post('/api/conversations')
      .set(bearer(ada))
      .send({ type: 'direct', participantIds: [friend.auth.user.id] });
    await setSharing(ada, 'friends');
    const friendSocket = await open(1, friend);
    const strangerSocket = await open(1, stranger);
    const friendSees = collect(friendSocket, 'presence:update');
    const strangerSees = collect(strangerSocket, 'presence:update');
    await subscribe(friendSocket, ada);
    expect((await subscribe(strangerSocket, ada))[ada.auth.user.id]).toEqual({
      userId: ada.auth.user.id,
      status: 'offline',
      lastActivity: null,
      lastSeenAt: null,
    });

    const adaSocket = await open(0, ada);
    await friendSees.waitFor(1);
    await sleep(500);
    expect(strangerSees.items).toHaveLength(0);

    // Opened up on node A: the watcher on node B is let in and told the status.
    await setSharing(ada, 'everyone');
    await strangerSees.waitFor(1);
    expect(strangerSees.items[0]).toMatchObject({ userId: ada.auth.user.id, status: 'online' });

    // Narrowed again: the stranger sees her go offline and nothing after; the friend keeps seeing her.
    await setSharing(ada, 'friends');
    await strangerSees.waitFor(2);
    expect(strangerSees.items[1]).toEqual({ userId: ada.auth.user.id, status: 'offline' });
    await heartbeat(adaSocket, 'away');
    await friendSees.waitFor(2);
    expect(friendSees.items[1]).toMatchObject({ status: 'away' });

    // The friend leaves their only shared conversation: no longer a contact.
    expect((await http().delete(`/api/conversations/${direct.body.id}/leave`).set(bearer(friend))).status).toBeLessThan(300);
    await friendSees.waitFor(3);
    expect(friendSees.items[2]).toEqual({ userId: ada.auth.user.id, status: 'offline' });
    await heartbeat(adaSocket, 'online');
    await sleep(500);
    expect(friendSees.items).toHaveLength(3);
    expect(strangerSees.items).toHaveLength(2);
  });
});

describe('presence across two nodes', () => {
  const { nodes } = useProductionNodes(2, { PRESENCE_TTL_SECONDS: '4' });
  const sockets = socketOpener((i) => nodes[i].baseUrl);
  /** Ada and a friend who watches her from node 2: what the friend hears about her. */
  const adaWatchedByFriend = async () => {
    const [ada, friend] = await registerUsers(nodes[1], 2);
    await createDirect(nodes[1], ada, friend);
    const watcher = await sockets.open(friend, { ...BEAT, node: 1 });
    const updates = collect(watcher, 'presence:update');
    await subscribe(watcher, ada);
    return { ada: ada, friend: friend, updates };
  };

  afterAll(() => sockets.closeAll());

  it('keeps a user online while a device on either node lives, and announces offline once when the last goes', async () => {
    const { ada, updates } = await adaWatchedByFriend();
    const onOne = await sockets.open(ada, { ...BEAT, node: 0 });
    const onTwo = await sockets.open(ada, { ...BEAT, node: 1 });
    await updates.waitFor(1);
    onOne.close();
    await sleep(2500);
    expect(updates.items.map((u) => u.status)).toEqual(['online']);
    onTwo.close();
    await updates.waitFor(2);
    await sleep(2500);
    expect(updates.items.map((u) => u.status)).toEqual(['online', 'offline']);
  });

  it('takes the devices of a node killed with SIGKILL offline after the TTL, announced once by a surviving node', async () => {
    const http = () => request(nodes[1].baseUrl);
    const { ada, friend, updates } = await adaWatchedByFriend();
    await sockets.open(ada, { ...BEAT, node: 0 });
    await updates.waitFor(1);

    nodes[0].child.kill('SIGKILL');
    await nodes[0].exited;
    await updates.waitFor(2, 10_000);
    await sleep(3000);
    expect(updates.items.map((u) => u.status)).toEqual(['online', 'offline']);
    const seen = await http().get(`/api/users/${ada.auth.user.id}/presence`).set(bearer(friend));
    expect(seen.body.status).toBe('offline');
    expect(seen.body.lastSeenAt).not.toBeNull();
  });
});

describe('presence when a node stops gracefully', () => {
  it('records its users going offline before it exits, while its pools are still open', async () => {
    const infra = await createTestInfra('postgres');
    const node = spawnServer({ ...infra.env, ...TEST_SECRETS, NODE_ENV: 'production', PRESENCE_TTL_SECONDS: '60' }, await freePort());
    try {
      await waitUntilReady(node);
      const [ada, friend] = await registerUsers(node, 2);
      await createDirect(node, ada, friend);
      const devices = await Promise.all([ada, ada, friend].map((user) => connectSocket(node.baseUrl, user.auth.accessToken)));

      expect(await node.stop('SIGTERM')).toBe(0);
      devices.forEach((socket) => socket.close());
      expect(node.output()).not.toMatch(/Cannot use a pool after calling end/);
      // The presence TTL is a minute: only the shutdown itself can have stored these.
      const db = new Client({ connectionString: infra.databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query('select id, last_seen_at from users where id = any($1)', [[ada.auth.user.id, friend.auth.user.id]]);
        expect(rows).toHaveLength(2);
        for (const row of rows) expect(row.last_seen_at, row.id).not.toBeNull();
      } finally {
        await db.end();
      }
    } finally {
      await node.stop('SIGKILL');
      await infra.dispose();
    }
  });
});
