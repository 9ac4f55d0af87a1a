import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInfra, type TestInfra } from './support/infra';
import { freePort, spawnServer, waitUntilReady } from './support/server-process';
import { TEST_SECRETS } from './support/test-app';

describe('starting the server process', () => {
  let infra: TestInfra;

  beforeAll(async () => {
    infra = await createTestInfra('postgres');
  });
  afterAll(() => infra?.dispose());

  it('refuses to start in production without JWT secrets, naming them', async () => {
    const server = spawnServer({ ...infra.env, NODE_ENV: 'production' });
    expect(await server.exited).not.toBe(0);
    expect(server.output()).toContain('JWT_ACCESS_SECRET');
    expect(server.output()).toContain('JWT_REFRESH_SECRET');
    expect(server.output()).not.toMatch(/Chat is running/);
  });

  it.each([
    ['PORT', 'not-a-port'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['LOG_LEVEL', 'loud'],
    ['JWT_ACCESS_SECRET', 'too-short'],
  ])('stops with a message naming %s when it is invalid', async (name, value) => {
    const server = spawnServer({ ...infra.env, ...TEST_SECRETS, [name]: value });
    expect(await server.exited).not.toBe(0);
    expect(server.output()).toContain(name);
  });

  it('lets two nodes that start at the same moment migrate one fresh database exactly once', async () => {
    const fresh = await createTestInfra('postgres');
    const env = { ...fresh.env, ...TEST_SECRETS, NODE_ENV: 'production' };
    const nodes = [spawnServer(env, await freePort()), spawnServer(env, await freePort())];
    try {
      await Promise.all(nodes.map((node) => waitUntilReady(node)));
      const client = new Client({ connectionString: fresh.databaseUrl });
      await client.connect();
      try {
        const applied = await client.query('select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash');
        expect(applied.rows.length).toBeGreaterThan(0);
        expect(applied.rows.every((row) => row.n === 1)).toBe(true);
        const tables = await client.query("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
        expect(tables.rows[0].n).toBeGreaterThanOrEqual(7);
      } finally {
        await client.end();
      }
      // Both serve requests against the shared database.
      const email = `both-${Date.now()}@example.com`;
      const register = await fetch(`${nodes[0].baseUrl}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'long enough pw', displayName: 'Both Nodes' }),
      });
      expect(register.status).toBe(201);
      const login = await fetch(`${nodes[1].baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'long enough pw' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
      await fresh.dispose();
    }
  });

  it('reports not ready (503, redis: error) while Redis is unreachable', async () => {
    const server = spawnServer({ ...infra.env, ...TEST_SECRETS, REDIS_URL: 'redis://127.0.0.1:1' }, await freePort());
    try {
      const deadline = Date.now() + 20_000;
      let res: Response | undefined;
      while (Date.now() < deadline) {
        res = await fetch(`${server.baseUrl}/health/ready`).catch(() => undefined);
        if (res) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(res?.status).toBe(503);
      expect(await res!.json()).toEqual({ status: 'not_ready', checks: { database: 'ok', redis: 'error' } });
      const live = await fetch(`${server.baseUrl}/health/live`);
      expect(live.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
