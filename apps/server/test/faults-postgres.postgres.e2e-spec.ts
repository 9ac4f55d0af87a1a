import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerUser } from './support/builders';
import { expectIntegrity, HttpSender, storedMessages } from './support/faults/chat-load';
import { PgCluster } from './support/faults/pg-cluster';
import { RedisInstance } from './support/faults/redis-instance';
import { expectNoCrashThenRecover, trafficAround } from './support/faults/traffic';
import { probeReady, type ReadyProbe, sleep, waitFor } from './support/faults/util';
import { connectExpectingRefusal } from './support/sockets';
import { endScene, type FaultScene, newReport, startScene } from './support/faults/scene';

const DATABASE = 'chat_faults';

/**
 * PostgreSQL failures under two nodes: a private PostgreSQL 15 cluster (its backends terminated,
 * the server restarted and stopped) and a private Redis.
 */
describe('faults: PostgreSQL connections killed, server restarted and stopped', () => {
  let pg: PgCluster;
  let redis: RedisInstance;
  let databaseUrl: string;
  let http: HttpSender;
  const scene = {} as FaultScene;
  const { report, faults } = newReport();
  const node = (i: number) => scene.cluster.node(i);

  beforeAll(async () => {
    [pg, redis] = await Promise.all([PgCluster.create(), RedisInstance.start()]);
    databaseUrl = await pg.createDatabase(DATABASE);
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, DATABASE_POOL_SIZE: '10' };
    Object.assign(
      scene,
      await startScene([env, env], {
        members: 5,
        title: 'PostgreSQL faults',
        placements: [
          ['A', 0],
          ['B', 1],
          ['C', 0],
          ['D', 1],
        ],
      }),
    );
    http = new HttpSender('E(http)', scene.users[4], scene.conversationId, node(1).baseUrl, 5_000);
  }, 90_000);

  // A crash in one test must not decide the next one: dead nodes come back on their ports.
  beforeEach(async () => {
    if (!(await pg.accepting())) await pg.start();
    await scene.cluster.revive();
  }, 60_000);

  afterAll(async () => {
    await endScene(scene, 'faults-postgres', report, { dispose: () => Promise.all([pg?.destroy(), redis?.dispose()]) });
  });

  const senders = () => [...scene.clients, http];

  /** The pool is usable again: a fresh message on each node acks promptly. */
  async function expectRecovered() {
    for (const c of scene.clients.slice(0, 2)) {
      const started = Date.now();
      await c.send(`after the fault ${randomUUID()}`, undefined, 5_000);
      expect(Date.now() - started, 'a send right after the fault').toBeLessThan(5_000);
    }
  }

  async function expectConsistent() {
    const rows = await storedMessages(databaseUrl, scene.conversationId);
    const integrity = expectIntegrity(rows, [...scene.clients, http]);
    for (const c of scene.clients) {
      await c.ensureConnected(Date.now() + 10_000);
      const history = await c.catchUp();
      expect(
        history.map((m) => m.id),
        `${c.name}'s catch-up equals the database`,
      ).toEqual(rows.map((r) => r.id));
    }
    return integrity;
  }

  it('(a) pg_terminate_backend of every app connection, three times during traffic: no ack without commit, exactly once, pool recovers', async () => {
    const terminated: number[] = [];
    const traffic = await trafficAround(
      scene.cluster,
      senders(),
      async () => {
        for (let i = 0; i < 3; i++) {
          faults.push('pg_terminate_backend(all app connections)');
          terminated.push(await pg.terminateBackends(DATABASE));
          await sleep(1_000);
        }
      },
      { afterMs: 2_000 },
    );
    report.terminateBackends = { backendsTerminated: terminated, traffic };
    await expectNoCrashThenRecover(scene.cluster, senders(), traffic.crashed);
    expect(terminated[0], 'the first round found app connections to end').toBeGreaterThan(0);
    await expectRecovered();
    const integrity = await expectConsistent();
    report.terminateBackends = { backendsTerminated: terminated, traffic, ...integrity };
  }, 80_000);

  it('(b) pg_ctl restart -m fast during traffic: same guarantees', async () => {
    let restartMs = 0;
    const traffic = await trafficAround(
      scene.cluster,
      senders(),
      async () => {
        faults.push('pg_ctl restart -m fast');
        const started = Date.now();
        await pg.restart();
        restartMs = Date.now() - started;
      },
      { afterMs: 3_000 },
    );
    report.restart = { restartMs, traffic };
    await expectNoCrashThenRecover(scene.cluster, senders(), traffic.crashed);
    await expectRecovered();
    const integrity = await expectConsistent();
    report.restart = { restartMs, traffic, ...integrity };
  }, 80_000);

  it('(c) PostgreSQL down for 3 s during traffic: /health/ready says database:error while down and ok afterwards; same guarantees', async () => {
    const readiness: Array<{ at: number; status: ReadyProbe['status']; database?: string }> = [];
    const seen = { downError: false, readyAgainMs: -1 };
    const allNodes = () => Promise.all(scene.cluster.nodes.map((n) => probeReady(n.baseUrl)));
    const traffic = await trafficAround(
      scene.cluster,
      senders(),
      async () => {
        faults.push('pg_ctl stop -m fast, 3 s down, start');
        await pg.stop('fast');
        const stoppedAt = Date.now();
        while (Date.now() - stoppedAt < 3_000) {
          const probes = await allNodes();
          readiness.push(...probes.map((p) => ({ at: Date.now() - stoppedAt, status: p.status, database: p.body?.checks.database })));
          if (probes.every((p) => p.status === 503 && p.body?.checks.database === 'error')) seen.downError = true;
          await sleep(200);
        }
        await pg.start();
        const startedAt = Date.now();
        await waitFor(
          async () => scene.cluster.dead().length > 0 || (await allNodes()).every((p) => p.status === 200 && p.body?.checks.database === 'ok'),
          10_000,
          'readiness did not come back',
        );
        if (scene.cluster.dead().length === 0) seen.readyAgainMs = Date.now() - startedAt;
      },
      { afterMs: 3_000 },
    );
    report.stopStart = { traffic, readinessReportedDatabaseError: seen.downError, readyAgainMsAfterStart: seen.readyAgainMs, readinessWhileDown: readiness };
    await expectNoCrashThenRecover(scene.cluster, senders(), traffic.crashed);
    if (traffic.crashed.length === 0) {
      // (With a crash the probes saw dead nodes; the crash is the failure reported above.)
      expect(seen.downError, 'both nodes answered 503 with database:error while PostgreSQL was down').toBe(true);
      expect(seen.readyAgainMs, 'both nodes ready again after PostgreSQL came back').toBeGreaterThanOrEqual(0);
    }
    await expectRecovered();
    const integrity = await expectConsistent();
    Object.assign(report.stopStart as object, integrity);
  }, 80_000);

  it('(d) PostgreSQL stopped without traffic: /health/ready says 503 database:error while down, 200 ok once it is back', async () => {
    faults.push('pg_ctl stop -m fast (no traffic), start');
    await pg.stop('fast');
    let down: ReadyProbe[];
    try {
      await sleep(300);
      down = await Promise.all(scene.cluster.nodes.map((n) => probeReady(n.baseUrl)));
    } finally {
      await pg.start();
    }
    const started = Date.now();
    await waitFor(
      async () => (await Promise.all(scene.cluster.nodes.map((n) => probeReady(n.baseUrl)))).every((p) => p.status === 200),
      10_000,
      'not ready again',
    );
    report.readinessWithoutTraffic = { whileDown: down, readyAgainMs: Date.now() - started };
    expect(down.map((p) => [p.status, p.body?.checks.database, p.body?.checks.redis])).toEqual([
      [503, 'error', 'ok'],
      [503, 'error', 'ok'],
    ]);
  }, 40_000);

  it('(e) with PostgreSQL down, a valid token is not called invalid: the socket is not told AUTH_FAILED', async () => {
    // A new user: no node has a cached look at the session (cached for 5 s after each check).
    const latecomer = (await registerUser(node(0))).auth.accessToken;
    faults.push('pg_ctl stop -m fast (no traffic), socket connect and GET /api/auth/me, start');
    await pg.stop('fast');
    try {
      await waitFor(async () => (await probeReady(node(0).baseUrl)).body?.checks.database === 'error', 5_000, 'node 1 does not notice');
      const outcome = await connectExpectingRefusal(node(0).baseUrl, { token: latecomer });
      const me = await fetch(`${node(1).baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${latecomer}` }, signal: AbortSignal.timeout(10_000) });
      report.authWhileDatabaseDown = { socket: outcome, httpMeStatus: me.status, httpMeBody: await me.json().catch(() => null) };
      expect((outcome.authError as { code?: string } | undefined)?.code, JSON.stringify(outcome)).not.toBe('AUTH_FAILED');
    } finally {
      await pg.start();
    }
  }, 40_000);

  it('(f) pg_terminate_backend while multi-statement transactions run (group creation): no node goes down', async () => {
    const control = { stop: false };
    const statuses: Record<string, number> = {};
    const creators = [0, 1, 2, 3].map(async (i) => {
      const owner = scene.users[i];
      const others = scene.users.filter((u) => u !== owner).map((u) => u.auth.user.id);
      while (!control.stop && scene.cluster.dead().length === 0) {
        let key: string;
        try {
          const res = await fetch(`${node(i % 2).baseUrl}/api/conversations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${owner.auth.accessToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'group', title: `tx ${randomUUID().slice(0, 8)}`, participantIds: others }),
            signal: AbortSignal.timeout(5_000),
          });
          key = String(res.status);
        } catch (error) {
          key = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
        }
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    });
    await sleep(500);
    const terminated: number[] = [];
    for (let round = 0; round < 6 && scene.cluster.dead().length === 0; round++) {
      faults.push('pg_terminate_backend(all app connections) during group creation');
      terminated.push(await pg.terminateBackends(DATABASE));
      await sleep(300);
    }
    await sleep(500);
    control.stop = true;
    await Promise.all(creators);
    const dead = scene.cluster.dead();
    report.terminateDuringTransactions = {
      backendsTerminated: terminated,
      statuses,
      crashed: dead,
      crashes: scene.cluster.crashes.filter((c) => dead.includes(c.node)),
    };
    const reasons = dead.map((i) => scene.cluster.crashes.filter((c) => c.node === i).at(-1)?.reason).join('\n');
    expect(dead, `nodes crashed:\n${reasons}`).toEqual([]);
  }, 40_000);
});
