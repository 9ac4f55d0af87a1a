import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirect, makeUser, refreshCookieOf } from './support/builders';
import { createTestInfra, type TestInfra } from './support/infra';
import { freePort, type ServerProcess, spawnServer, waitUntilReady } from './support/server-process';
import { connectSocket, emitWithAck, sleep } from './support/sockets';
import { TEST_SECRETS } from './support/test-app';

describe('a production node process', () => {
  let infra: TestInfra;
  let node: ServerProcess;

  beforeAll(async () => {
    infra = await createTestInfra('postgres');
    node = spawnServer({ ...infra.env, ...TEST_SECRETS, NODE_ENV: 'production', LOG_LEVEL: 'debug' }, await freePort());
    await waitUntilReady(node);
  });
  afterAll(async () => {
    await node?.stop('SIGKILL');
    await infra?.dispose();
  });

  it('logs one JSON line per request and per socket, with request and user ids, and never a password, token or cookie', async () => {
    const http = () => request(node.baseUrl);
    const user = makeUser({ password: 'Sup3r-Secret-Passw0rd!' });
    const registered = await http().post('/api/auth/register').send(user);
    const cookie = refreshCookieOf(registered);
    const accessToken = registered.body.accessToken as string;
    await http().post('/api/auth/login').send({ email: user.email, password: user.password });
    await http().post('/api/auth/login').send({ email: user.email, password: 'Wr0ng-Passw0rd-Here' });
    const refreshed = await http().post('/api/auth/refresh').set('Cookie', cookie);
    await http().get('/api/auth/me').set('Authorization', `Bearer ${accessToken}`).set('X-Request-Id', 'trace-me-123');
    await http().get(`/api/conversations?token=${accessToken}`).set('Authorization', `Bearer ${accessToken}`);
    const socket = await connectSocket(node.baseUrl, accessToken);
    socket.close();
    await sleep(300);

    const output = node.output();
    const lines = output.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const secrets = [user.password, 'Wr0ng-Passw0rd-Here', accessToken, refreshed.body.accessToken, cookie.split('=')[1]];
    for (const secret of secrets) expect(output).not.toContain(secret);

    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.req && entry.res);
    const me = requests.find((entry) => entry.req.url === '/api/auth/me');
    expect(me).toMatchObject({ req: { id: 'trace-me-123' }, userId: registered.body.user.id, res: { statusCode: 200 } });
    expect(requests.filter((entry) => entry.req.url === '/api/auth/login')).toHaveLength(2);
    const sockets = lines.map((line) => JSON.parse(line)).filter((entry) => typeof entry.msg === 'string' && entry.msg.startsWith('socket '));
    expect(sockets.map((entry) => entry.msg)).toEqual(['socket connected', 'socket disconnected']);
    expect(sockets[0]).toMatchObject({ userId: registered.body.user.id });
  });

  it('on SIGTERM finishes in-flight sends, loses no acknowledged message, and exits 0 within 10 s', async () => {
    const http = () => request(node.baseUrl);
    const [a, b] = [makeUser(), makeUser()];
    const alice = (await http().post('/api/auth/register').send(a)).body;
    const bob = (await http().post('/api/auth/register').send(b)).body;
    const conversationId = (await createDirect(node, alice, bob.user.id)).id;
    const socket = await connectSocket(node.baseUrl, alice.accessToken);
    const acked: string[] = [];
    let sending = true;
    const loop = (async () => {
      while (sending) {
        try {
          const ack = await emitWithAck(socket, 'message:send', { conversationId, content: 'x', clientMessageId: randomUUID() }, 2000);
          if (ack.ok) acked.push(ack.messageId);
        } catch {
          return;
        }
      }
    })();
    while (acked.length < 20) await sleep(5);
    const startedAt = Date.now();
    node.child.kill('SIGTERM');
    const code = await node.exited;
    sending = false;
    await loop;
    expect(code).toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(node.output()).toContain('shutting down');

    const db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    try {
      const rows = (await db.query('select id, seq from messages where conversation_id = $1 order by seq', [conversationId])).rows;
      const stored = new Set(rows.map((r) => r.id));
      for (const id of acked) expect(stored.has(id)).toBe(true);
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    } finally {
      await db.end();
      socket.close();
    }
  });
});
