import type { SignedIn } from '../builders';
import { createTestInfra, type TestInfra } from '../infra';
import { ChaosClient } from './chat-load';
import { groupOf, NodeSet } from './nodes';
import { FaultProxy } from './tcp-proxy';
import { totalsOf } from './traffic';
import { writeReliabilityReport } from './util';

/** A suite's reliability report; `faults` lists what it injected, in order. */
export function newReport(extra: Record<string, unknown> = {}) {
  const faults: string[] = [];
  const report: Record<string, unknown> = { faultsInjected: faults, ...extra };
  return { report, faults };
}

export interface ProxiedInfra {
  infra: TestInfra;
  pgProxy: FaultProxy;
  redisProxy: FaultProxy;
  /** The infrastructure's environment with PostgreSQL and Redis reached through the proxies. */
  viaProxies: Record<string, string>;
  /** Closes the proxies, drops the infrastructure and records the proxies' statistics in `report`. */
  dispose(report: Record<string, unknown>): Promise<void>;
}

/** A fresh database and Redis prefix, each also reachable through a TCP fault proxy of its own. */
export async function proxiedInfra(): Promise<ProxiedInfra> {
  const infra = await createTestInfra('postgres');
  const db = new URL(infra.env.DATABASE_URL);
  const redis = new URL(infra.env.REDIS_URL);
  const [pgProxy, redisProxy] = await Promise.all([
    FaultProxy.start({ host: db.hostname, port: Number(db.port || 5432) }),
    FaultProxy.start({ host: redis.hostname, port: Number(redis.port || 6379) }),
  ]);
  const viaProxies = {
    ...infra.env,
    DATABASE_URL: Object.assign(new URL(db), { port: String(pgProxy.port) }).toString(),
    REDIS_URL: Object.assign(new URL(redis), { port: String(redisProxy.port) }).toString(),
  };
  return {
    infra,
    pgProxy,
    redisProxy,
    viaProxies,
    dispose: async (report) => {
      await Promise.all([pgProxy.close(), redisProxy.close()]);
      await infra.dispose();
      report.proxies = { postgres: pgProxy.stats, redis: redisProxy.stats };
    },
  };
}

export interface FaultScene {
  cluster: NodeSet;
  users: SignedIn[];
  conversationId: string;
  clients: ChaosClient[];
}

/**
 * Nodes started with `envs`, one group of `members` users made on node `groupOn`, and a chaos
 * client for each of the first users: user i is `placements[i][0]` on node `placements[i][1]`.
 */
export async function startScene(
  envs: Array<Record<string, string>>,
  options: { members: number; title: string; groupOn?: number; placements: Array<[name: string, node: number]> },
): Promise<FaultScene> {
  const cluster = await NodeSet.start(envs);
  const { users, conversationId } = await groupOf(cluster.node(options.groupOn ?? 0).baseUrl, options.members, options.title);
  const clients = options.placements.map(
    ([name, node], i) => new ChaosClient(name, users[i], conversationId, cluster.node(node).baseUrl, { ackTimeoutMs: 3_000 }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  return { cluster, users, conversationId, clients };
}

/**
 * Closes the clients, stops the nodes, runs `dispose` (the suite's own services), then records the
 * crashes (and the send totals unless `totals` is false) and writes the report as `suite`.
 */
export async function endScene(
  scene: Partial<FaultScene>,
  suite: string,
  report: Record<string, unknown>,
  { dispose, totals = true }: { dispose?: () => Promise<unknown>; totals?: boolean } = {},
): Promise<void> {
  for (const c of scene.clients ?? []) c.close();
  await scene.cluster?.stop();
  await dispose?.();
  report.crashes = scene.cluster?.crashes;
  if (totals) report.totals = totalsOf(report);
  writeReliabilityReport(suite, report);
}
