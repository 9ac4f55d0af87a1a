import request from 'supertest';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUsers } from './support/builders';
import { createTestInfra, type TestInfra } from './support/infra';
import { freePort, type ServerProcess, spawnServer, waitUntilReady } from './support/server-process';
import { type ClientSocket, collect, connectSocket, sleep } from './support/sockets';
import { TEST_SECRETS } from './support/test-app';

const keepAlive = (socket: ClientSocket) => {
  const beat = setInterval(() => socket.emit('presence:heartbeat', { status: 'online' }), 300);
  socket.on('disconnect', () => clearInterval(beat));
  return socket;
};

describe('presence across two nodes', () => {
  let infra: TestInfra;
  let nodes: ServerProcess[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    infra = await createTestInfra('postgres');
    const env = { ...infra.env, ...TEST_SECRETS, NODE_ENV: 'production', PRESENCE_TTL_SECONDS: '4' };
    nodes = [spawnServer(env, await freePort()), spawnServer(env, await freePort())];
    await Promise.all(nodes.map((n) => waitUntilReady(n)));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await infra?.dispose();
  });

  it('keeps a user online while a device on either node lives, and announces offline once when the last goes', async () => {
    const http = () => request(nodes[1]!.baseUrl);
    const [ada, friend] = await registerUsers(http, 2);
    await http().post('/api/conversations').set(bearer(ada!)).send({ type: 'direct', participantIds: [friend!.auth.user.id] });
    const watcher = keepAlive(await connectSocket(nodes[1]!.baseUrl, friend!.auth.accessToken));
    sockets.push(watcher);
    const updates = collect(watcher, 'presence:update');

    const onOne = keepAlive(await connectSocket(nodes[0]!.baseUrl, ada!.auth.accessToken));
    const onTwo = keepAlive(await connectSocket(nodes[1]!.baseUrl, ada!.auth.accessToken));
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
    const http = () => request(nodes[1]!.baseUrl);
    const [ada, friend] = await registerUsers(http, 2);
    await http().post('/api/conversations').set(bearer(ada!)).send({ type: 'direct', participantIds: [friend!.auth.user.id] });
    const watcher = keepAlive(await connectSocket(nodes[1]!.baseUrl, friend!.auth.accessToken));
    sockets.push(watcher);
    const updates = collect(watcher, 'presence:update');
    const doomed = keepAlive(await connectSocket(nodes[0]!.baseUrl, ada!.auth.accessToken));
    sockets.push(doomed);
    await updates.waitFor(1);

    nodes[0]!.child.kill('SIGKILL');
    await nodes[0]!.exited;
    await updates.waitFor(2, 10_000);
    await sleep(3000);
    expect(updates.items.map((u) => u.status)).toEqual(['online', 'offline']);
    const seen = await http().get(`/api/users/${ada!.auth.user.id}/presence`).set(bearer(friend!));
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
      const [ada, friend] = await registerUsers(() => request(node.baseUrl), 2);
      await request(node.baseUrl).post('/api/conversations').set(bearer(ada!)).send({ type: 'direct', participantIds: [friend!.auth.user.id] });
      const devices = await Promise.all([ada, ada, friend].map((user) => connectSocket(node.baseUrl, user!.auth.accessToken)));

      expect(await node.stop('SIGTERM')).toBe(0);
      devices.forEach((socket) => socket.close());
      expect(node.output()).not.toMatch(/Cannot use a pool after calling end/);
      // The presence TTL is a minute: only the shutdown itself can have stored these.
      const db = new Client({ connectionString: infra.databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query('select id, last_seen_at from users where id = any($1)', [[ada!.auth.user.id, friend!.auth.user.id]]);
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
