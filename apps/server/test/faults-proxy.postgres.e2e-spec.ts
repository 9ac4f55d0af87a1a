import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerUser } from './support/builders';
import { connectSocket, emitWithAck } from './support/sockets';
import { expectIntegrity, HttpProber, HttpSender, storedMessages } from './support/faults/chat-load';
import { type FaultProxy } from './support/faults/tcp-proxy';
import { expectNoCrashThenRecover, type TrafficResult, trafficAround } from './support/faults/traffic';
import { residentMemoryOf, sleep } from './support/faults/util';
import type { TestInfra } from './support/infra';
import { endScene, type FaultScene, newReport, type ProxiedInfra, proxiedInfra, startScene } from './support/faults/scene';

const MB = 1024 * 1024;

/**
 * Network faults between a node and its backing services: node 1 reaches PostgreSQL and Redis
 * only through two TCP fault proxies (latency, blackhole, reset); node 2 is connected directly and
 * hosts B, so cross-node fan-out is exercised as well.
 */
describe('faults: network between the app and PostgreSQL / Redis (TCP fault proxies)', () => {
  let proxied: ProxiedInfra | undefined;
  let infra: TestInfra;
  let pgProxy: FaultProxy;
  let redisProxy: FaultProxy;
  let http: HttpSender;
  const scene = {} as FaultScene;
  const { report, faults } = newReport();
  const node = (i: number) => scene.cluster.node(i);

  beforeAll(async () => {
    proxied = await proxiedInfra();
    ({ infra, pgProxy, redisProxy } = proxied);
    // A and C on node 1 (behind the proxies), B on node 2; D sends over HTTP to node 1.
    Object.assign(
      scene,
      await startScene([proxied.viaProxies, infra.env], {
        members: 4,
        title: 'Network faults',
        groupOn: 1,
        placements: [
          ['A', 0],
          ['C', 0],
          ['B', 1],
        ],
      }),
    );
    http = new HttpSender('D(http)', scene.users[3], scene.conversationId, node(0).baseUrl, 5_000);
  }, 90_000);

  beforeEach(async () => {
    pgProxy.pass();
    redisProxy.pass();
    await scene.cluster.revive();
  }, 60_000);

  afterAll(async () => {
    await endScene(scene, 'faults-proxy', report, { dispose: async () => proxied?.dispose(report) });
  });

  const B = () => scene.clients[2];
  const senders = () => [...scene.clients, http];

  /**
   * Runs traffic around `fault` with HTTP reads probing node 1 all along, then checks: no crash,
   * no 500, a prompt answer once the fault is over, and the delivery guarantees.
   */
  async function underFault(label: string, fault: () => Promise<void>, afterMs = 2_000) {
    const prober = new HttpProber(node(0).baseUrl, [
      { path: `/api/conversations/${scene.conversationId}/messages?limit=20`, token: scene.users[0].auth.accessToken },
      { path: '/api/auth/me', token: scene.users[1].auth.accessToken },
    ]);
    const probing = { stop: false };
    const probes = prober.run(probing);
    let traffic: TrafficResult;
    try {
      traffic = await trafficAround(scene.cluster, senders(), fault, { afterMs });
    } finally {
      probing.stop = true;
      await probes;
    }
    const figures: Record<string, unknown> = { traffic, probes: { requests: prober.requests, statuses: prober.statuses, maxMs: prober.maxMs } };
    report[label] = figures;
    await expectNoCrashThenRecover(scene.cluster, senders(), traffic.crashed);

    // The fault is over: node 1 answers promptly again, on both transports.
    const started = Date.now();
    await scene.clients[0].send(`after ${label} ${randomUUID()}`, undefined, 10_000);
    const res = await fetch(`${node(0).baseUrl}/api/conversations/${scene.conversationId}/messages?limit=1`, {
      headers: { authorization: `Bearer ${scene.users[0].auth.accessToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    figures.recoveryMs = Date.now() - started;
    expect(res.status).toBe(200);

    // Delivery: a message from node 1 reaches B on node 2 live, and B's catch-up equals the database.
    const { messageId } = await scene.clients[0].send(`live ${label}`, undefined, 10_000);
    const deadline = Date.now() + 5_000;
    while (!B().received.has(messageId) && Date.now() < deadline) await sleep(20);
    expect(B().received.has(messageId), 'live fan-out to node 2 after the fault').toBe(true);
    const rows = await storedMessages(infra.databaseUrl!, scene.conversationId);
    Object.assign(figures, expectIntegrity(rows, senders()));
    for (const c of scene.clients) {
      await c.ensureConnected(Date.now() + 10_000);
      expect(
        (await c.catchUp()).map((m) => m.id),
        `${c.name}'s catch-up equals the database`,
      ).toEqual(rows.map((r) => r.id));
    }

    // HTTP never answered 500 during the fault: 503 or a client-side timeout are acceptable.
    const fiveHundreds = (traffic.http.statuses['500'] ?? 0) + (prober.statuses['500'] ?? 0);
    expect(fiveHundreds, `HTTP 500 answers (sender ${JSON.stringify(traffic.http.statuses)}, probes ${JSON.stringify(prober.statuses)})`).toBe(0);
    return figures;
  }

  /** A 10 s blackhole with traffic; RSS from /metrics before and after. */
  async function blackhole(proxy: FaultProxy, label: string) {
    const before = await residentMemoryOf(node(0).metricsUrl);
    const figures = await underFault(label, async () => {
      faults.push(`${label}: blackhole 10 s`);
      proxy.blackhole();
      await sleep(10_000);
      proxy.release();
    });
    const after = await residentMemoryOf(node(0).metricsUrl);
    figures.rssBeforeMb = Math.round(before / MB);
    figures.rssAfterMb = Math.round(after / MB);
    expect(after - before, 'RSS growth across a 10 s blackhole').toBeLessThan(150 * MB);
  }

  it('pass-through: the proxies alone cause no error, timeout or retry', async () => {
    const figures = await underFault('passThrough', async () => undefined, 1_000);
    const { sockets, http: viaHttp } = figures.traffic as TrafficResult;
    expect([sockets.retries, sockets.timeouts, sockets.errors, viaHttp.retries, viaHttp.statuses['500'] ?? 0]).toEqual([0, 0, {}, 0, 0]);
  }, 60_000);

  it('PostgreSQL link: 500 ms latency each way', async () => {
    await underFault('postgresLatency', async () => {
      faults.push('postgres: +500 ms latency per chunk each way, 4 s');
      pgProxy.latency(500);
      await sleep(4_000);
      pgProxy.pass();
    });
  }, 90_000);

  it('PostgreSQL link: blackhole for 10 s (bounded memory)', async () => {
    await blackhole(pgProxy, 'postgresBlackhole');
  }, 90_000);

  it('PostgreSQL link: every connection reset, new ones refused for 2 s', async () => {
    await underFault('postgresReset', async () => {
      faults.push('postgres: reset all, refuse 2 s');
      await pgProxy.reset(2_000);
    });
  }, 90_000);

  it('PostgreSQL unreachable (connections refused for 3 s, no traffic): HTTP answers 503 promptly, never 500', async () => {
    const fresh = await registerUser(node(1));
    // Connected before the outage (connecting needs the database): its catch-up asks during it.
    const catchingUp = await connectSocket(node(0).baseUrl, scene.users[0].auth.accessToken);
    faults.push('postgres: reset all, refuse 3 s (no traffic), HTTP requests and a socket sync meanwhile');
    const refusing = pgProxy.reset(3_000);
    await sleep(200);
    // A catch-up that cannot read must fail, never answer ok with nothing (the client would think it caught up).
    const sync = await emitWithAck(catchingUp, 'sync', { conversations: [{ conversationId: scene.conversationId, afterSeq: 0 }] }, 5_000).finally(() =>
      catchingUp.close(),
    );
    const ask = async (label: string, init: RequestInit & { path: string }) => {
      const started = Date.now();
      try {
        const res = await fetch(`${node(0).baseUrl}${init.path}`, { ...init, signal: AbortSignal.timeout(5_000) });
        const body = (await res.json().catch(() => ({}))) as { code?: string };
        return { label, status: res.status as number | string, code: body.code, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started };
      } catch (error) {
        return { label, status: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network', ms: Date.now() - started };
      }
    };
    const pendingId = randomUUID();
    const auth = { authorization: `Bearer ${fresh.auth.accessToken}`, 'content-type': 'application/json' };
    const answers = await Promise.all([
      ask('GET /api/auth/me', { path: '/api/auth/me', headers: auth }),
      ask('GET history', {
        path: `/api/conversations/${scene.conversationId}/messages?limit=5`,
        headers: { authorization: `Bearer ${scene.users[0].auth.accessToken}` },
      }),
      ask('POST message', {
        path: `/api/conversations/${scene.conversationId}/messages`,
        method: 'POST',
        headers: { authorization: `Bearer ${scene.users[3].auth.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'while refused', clientMessageId: pendingId }),
      }),
      ask('POST login', {
        path: '/api/auth/login',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: fresh.input.email, password: fresh.input.password }),
      }),
    ]);
    await refusing;
    // The client resends what was not confirmed; it is stored once and counts as acked.
    await http.send('while refused', pendingId, 10_000);
    report.postgresRefused = answers;
    expect(scene.cluster.dead(), 'no node died').toEqual([]);
    expect(
      answers.map((a) => [a.label, a.status]),
      JSON.stringify(answers),
    ).toEqual(answers.map((a) => [a.label, 503]));
    expect(sync).toMatchObject({ ok: false, code: 'SERVICE_UNAVAILABLE' });
  }, 40_000);

  it('Redis link: 500 ms latency each way', async () => {
    await underFault('redisLatency', async () => {
      faults.push('redis: +500 ms latency per chunk each way, 4 s');
      redisProxy.latency(500);
      await sleep(4_000);
      redisProxy.pass();
    });
  }, 90_000);

  it('Redis link: blackhole for 10 s (bounded memory)', async () => {
    await blackhole(redisProxy, 'redisBlackhole');
  }, 90_000);

  it('Redis link: every connection reset, new ones refused for 2 s', async () => {
    await underFault('redisReset', async () => {
      faults.push('redis: reset all, refuse 2 s');
      await redisProxy.reset(2_000);
    });
  }, 90_000);
});
