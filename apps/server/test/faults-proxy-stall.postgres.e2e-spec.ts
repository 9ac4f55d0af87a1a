import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectIntegrity, HttpProber, HttpSender, newStats, storedMessages } from './support/faults/chat-load';
import { type FaultProxy } from './support/faults/tcp-proxy';
import { probeReady, sleep, waitFor } from './support/faults/util';
import type { TestInfra } from './support/infra';
import { endScene, type FaultScene, newReport, type ProxiedInfra, proxiedInfra, startScene } from './support/faults/scene';

/** How long a node may take to notice a dead connection and replace it. */
const RECOVERY_BUDGET_MS = 15_000;

/**
 * Connections that die silently: a NAT or firewall forgets them, so neither side is told and no
 * byte ever arrives again (the TCP fault proxy keeps both ends open and forwards nothing). New
 * connections work. A node must notice (timeouts, keep-alive) and recover by itself; one that
 * waits forever is hung, and only a restart brings it back.
 */
describe('faults: connections to PostgreSQL / Redis silently cut (stall)', () => {
  let proxied: ProxiedInfra | undefined;
  let infra: TestInfra;
  let pgProxy: FaultProxy;
  let redisProxy: FaultProxy;
  const scene = {} as FaultScene;
  const { report, faults } = newReport({ recoveryBudgetMs: RECOVERY_BUDGET_MS });
  const node = (i: number) => scene.cluster.node(i);

  beforeAll(async () => {
    proxied = await proxiedInfra();
    ({ infra, pgProxy, redisProxy } = proxied);
    // A small pool on node 1 so that a handful of requests in flight occupy all of it.
    // A on node 1 (behind the proxies), B on node 2.
    Object.assign(
      scene,
      await startScene([{ ...proxied.viaProxies, DATABASE_POOL_SIZE: '3' }, infra.env], {
        members: 3,
        title: 'Stalls',
        groupOn: 1,
        placements: [
          ['A', 0],
          ['B', 1],
        ],
      }),
    );
  }, 90_000);

  beforeEach(async () => {
    await scene.cluster.revive();
  }, 60_000);

  afterAll(async () => {
    await endScene(scene, 'faults-proxy-stall', report, { dispose: async () => proxied?.dispose(report), totals: false });
  });

  /**
   * Traffic on both nodes; every connection of node 1 through `proxy` is cut silently; then an HTTP
   * client keeps resending one message to node 1 (3 s timeout per try) until it is stored.
   */
  async function silentCut(proxy: FaultProxy, label: string, beforeCut: () => Promise<Record<string, unknown>> = async () => ({})) {
    for (const c of scene.clients) c.stats = newStats();
    const http = new HttpSender('C(http)', scene.users[2], scene.conversationId, node(0).baseUrl, 3_000);
    const control = { stop: false };
    const loops = Promise.all(scene.clients.map((c) => c.run(control, 50).catch(() => undefined)));
    await waitFor(() => scene.clients.every((c) => c.stats.acked >= 5), 15_000, 'no warm-up traffic');
    const atCut = await beforeCut();

    faults.push(`${label}: every open connection of node 1 silently cut`);
    const cut = proxy.abandonAll();
    const cutAt = Date.now();
    // New connections get a healthy link.
    proxy.pass();
    const bAckedAtCut = scene.clients[1].stats.acked;
    let recoveredMs: number | null = null;
    try {
      await http.send(`after the cut ${randomUUID()}`, undefined, RECOVERY_BUDGET_MS);
      recoveredMs = Date.now() - cutAt;
    } catch {
      // still hung after the budget
    }
    // Node 2 is connected directly; B's sends to the same conversation must go on too.
    const node2Moving = scene.clients[1].stats.acked > bAckedAtCut + 1;
    const readyAfter = await probeReady(node(0).baseUrl, 3_000);
    const figures: Record<string, unknown> = {
      ...atCut,
      connectionsCut: cut,
      recoveredMs,
      node2KeptSending: node2Moving,
      readyAfterBudget: readyAfter.status,
      readinessChecks: readyAfter.body?.checks,
      httpStatuses: http.statuses,
      httpAttempts: http.stats.attempts,
      socketAckedDuringRun: scene.clients.map((c) => c.stats.acked),
    };
    report[label] = figures;

    // Whatever happened, restore service so the guarantees can still be checked: a hung node is
    // replaced (as a supervisor would), then every client finishes what it had in flight.
    control.stop = true;
    if (recoveredMs === null) {
      for (const c of scene.clients) c.aborted = true;
      await loops;
      await scene.cluster.restart(0);
      figures.nodeRestartedToRecover = true;
    } else {
      await loops;
    }
    await Promise.all([...scene.clients, http].map((s) => s.finishPending()));
    const rows = await storedMessages(infra.databaseUrl!, scene.conversationId);
    Object.assign(figures, expectIntegrity(rows, [...scene.clients, http, ...previousHttp]));
    previousHttp.push(http);
    for (const c of scene.clients) {
      await c.ensureConnected(Date.now() + 10_000);
      expect((await c.catchUp()).map((m) => m.id)).toEqual(rows.map((r) => r.id));
    }

    expect(cut, 'open connections were cut').toBeGreaterThan(0);
    expect(
      recoveredMs,
      `node 1 still hung ${RECOVERY_BUDGET_MS} ms after its connections were silently cut (ready: ${JSON.stringify(readyAfter)})`,
    ).not.toBeNull();
    expect(readyAfter.status).toBe(200);
    expect(node2Moving, 'B on node 2 (not behind the proxy) kept getting acks in the same conversation').toBe(true);
  }
  const previousHttp: HttpSender[] = [];

  /** chat_db_pool_connections by state, from /metrics (answers without the database). */
  async function poolOf(metricsUrl: string | null): Promise<Record<string, number>> {
    const text = await (await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
    const pool: Record<string, number> = {};
    for (const match of text.matchAll(/^chat_db_pool_connections\{state="(\w+)"\} (\d+)$/gm)) pool[match[1]] = Number(match[2]);
    return pool;
  }

  it('PostgreSQL connections silently cut while every pooled connection is busy: the node notices and serves again within the budget', async () => {
    const readers = { stop: false };
    let reading: Promise<void> = Promise.resolve();
    try {
      await silentCut(pgProxy, 'postgresSilentCut', async () => {
        // Slow the link a little and keep several reads in flight, so that every connection of node
        // 1's pool (DATABASE_POOL_SIZE=3) is checked out when the cut comes, as under load.
        pgProxy.latency(100);
        const prober = new HttpProber(
          node(0).baseUrl,
          [0, 1, 2, 3].map(() => ({ path: `/api/conversations/${scene.conversationId}/messages?limit=50`, token: scene.users[2].auth.accessToken })),
          2_000,
        );
        reading = prober.run(readers, 0);
        let pool: Record<string, number> = {};
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          pool = await poolOf(node(0).metricsUrl);
          if (pool.total === 3 && pool.idle === 0) break;
          await sleep(5);
        }
        return { poolAtCut: pool };
      });
    } finally {
      readers.stop = true;
      await reading;
    }
  }, 90_000);

  it('Redis connections silently cut: the node notices and serves again within the budget', async () => {
    await silentCut(redisProxy, 'redisSilentCut');
  }, 90_000);
});
