// Read receipts under load: does receipt traffic slow message delivery down?
// 2,000 connected users in 40 groups of 50; messages at a steady rate into those groups, in
// alternating phases without and with 2,000 receipt:read/s (each a read of the group's newest
// message by a random member). Half of each group sends and receives, timed in this process; the
// other half reads, from a process of its own, as other people's clients would. Target (issue "Read receipts"): send->receive p99 with receipts
// within 20% of the figure without. Prints a table, saves bench/results/receipts.json, exits 1 if
// the target is missed or a message is lost or duplicated.
//
// Environment: BENCH_QUICK=1 (short phases), BENCH_MESSAGE_RATE (default 100 messages/s = 5,000
// deliveries/s), BENCH_READ_RATE (default 2000/s), BENCH_PHASE_SECONDS (30), BENCH_ROUNDS (2),
// BENCH_VACUUM_SECONDS (0: the memberships table is left to the database's autovacuum).
import { performance } from 'node:perf_hooks';
import { createBenchInfra, machineInfo, printTable, reportResults, sleep, startLoadServer } from './lib/bench-kit.mjs';
import { startReaders } from './lib/read-load.mjs';
import { closeAll, connectAll, makeTracker, runPhase, seedUsersInGroups, withDatabase } from './lib/socket-load.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const CONFIG = {
  users: 2000,
  groups: 40,
  groupSize: 50,
  messageRate: Number(process.env.BENCH_MESSAGE_RATE ?? 100),
  readRate: Number(process.env.BENCH_READ_RATE ?? 2000),
  phaseSeconds: Number(process.env.BENCH_PHASE_SECONDS ?? (QUICK ? 8 : 30)),
  // without, with, without, with: a drift of the machine over time shows up in both.
  rounds: Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 2)),
  flushIntervalMs: Number(process.env.BENCH_FLUSH_MS ?? 10_000),
  // BENCH_VACUUM_SECONDS=n vacuums the memberships table every n s, standing in for autovacuum on a
  // machine whose PostgreSQL runs without it (see machine.postgresSettings); 0: never.
  vacuumEverySeconds: Number(process.env.BENCH_VACUUM_SECONDS ?? 0),
  maxEffect: 0.2,
};

/**
 * Row versions of the memberships table so far: every message rewrites each member's row (its
 * activity time) and every read its reader's marker; without vacuum the dead versions pile up.
 */
const membershipChurn = (databaseUrl) =>
  withDatabase(databaseUrl, async (db) => {
    const { rows } = await db.query(
      `select n_live_tup::int as live, n_dead_tup::int as dead, n_tup_upd::int as updates, n_tup_hot_upd::int as "hotUpdates", autovacuum_count::int as autovacuums
       from pg_stat_user_tables where relname = 'conversation_participants'`,
    );
    return rows[0];
  });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.round(((sorted[middle - 1] + sorted[middle]) / 2) * 100) / 100;
};

async function main() {
  const infra = await createBenchInfra('receipts');
  let server;
  let sockets;
  let readers;
  let vacuumer;
  try {
    server = await startLoadServer(infra, { RECEIPT_FLUSH_INTERVAL_MS: String(CONFIG.flushIntervalMs) });
    const seeded = await seedUsersInGroups(infra.databaseUrl, CONFIG);
    // Each group's first half sends and receives, timed in this process; its second half reads,
    // from a process of its own (read-load.mjs), and receives untimed. The server sees all 2,000
    // members of the 40 groups either way.
    const half = Math.floor(CONFIG.groupSize / 2);
    const timedGroups = seeded.groups.map((group) => ({ id: group.id, members: group.members.slice(0, half) }));
    const readerGroups = seeded.groups.map((group) => ({ id: group.id, members: group.members.slice(half) }));
    const tracker = makeTracker();
    let counts = 0;
    const connectStart = performance.now();
    sockets = await connectAll(server.baseUrl, seeded, timedGroups.flatMap((group) => group.members), {
      'message:received': tracker.received,
      'receipt:count': () => counts++,
    });
    readers = await startReaders(server.baseUrl, readerGroups, seeded.sessionOf);
    console.log(`${seeded.users.length} sockets connected in ${((performance.now() - connectStart) / 1000).toFixed(1)} s`);

    if (CONFIG.vacuumEverySeconds > 0) {
      vacuumer = setInterval(() => {
        void withDatabase(infra.databaseUrl, (db) => db.query('vacuum conversation_participants')).catch((error) => console.error('vacuum failed', error.message));
      }, CONFIG.vacuumEverySeconds * 1000);
    }
    const common = { sockets, tracker, readers, baseUrl: server.baseUrl, groups: timedGroups, rate: CONFIG.messageRate, seconds: CONFIG.phaseSeconds };
    // Warm-up: JIT, pools, and a newest message in every group for the readers.
    await runPhase('warm-up', { ...common, seconds: QUICK ? 3 : 10, readRate: CONFIG.readRate });
    const phases = [];
    for (let round = 1; round <= CONFIG.rounds; round++) {
      phases.push(await runPhase(`${CONFIG.messageRate} msg/s, no reads (${round})`, common));
      const countsBefore = counts;
      const withReads = await runPhase(`${CONFIG.messageRate} msg/s + ${CONFIG.readRate} reads/s (${round})`, { ...common, readRate: CONFIG.readRate });
      // Let one batch flush land so the counts broadcast shows up in this phase's figures.
      await sleep(Math.min(CONFIG.flushIntervalMs, 10_000));
      phases.push({ ...withReads, receiptCountEvents: counts - countsBefore });
      phases.at(-1).memberships = await membershipChurn(infra.databaseUrl);
    }

    printTable(
      phases.map((p) => ({
        phase: p.phase,
        sent: p.sent,
        lost: p.lost,
        dup: p.duplicates,
        reads: p.reads,
        'read errors': p.reads ? p.readsFailed : '',
        'read ack p50/p99 ms': p.reads ? `${p.readToAck.p50}/${p.readToAck.p99}` : '',
        'receipt:count recv': p.receiptCountEvents ?? '',
        'recv p50/p95/p99/max ms': `${p.sendToReceive.p50}/${p.sendToReceive.p95}/${p.sendToReceive.p99}/${p.sendToReceive.max}`,
        'cpu cores': p.cpuCores.toFixed(2),
        'rss MiB': p.maxRssMiB,
        'server loop lag p99 ms': p.serverWorstSecondLoopLagP99Ms,
        'generator busy': p.generator.eventLoopUtilization,
        'cpu waited': p.machineCpuPressure ?? '',
      })),
      ['phase', 'sent', 'lost', 'dup', 'reads', 'read errors', 'read ack p50/p99 ms', 'receipt:count recv', 'recv p50/p95/p99/max ms', 'cpu cores', 'rss MiB', 'server loop lag p99 ms', 'generator busy', 'cpu waited'],
    );
    const withoutP99 = median(phases.filter((p) => !p.reads).map((p) => p.sendToReceive.p99));
    const withP99 = median(phases.filter((p) => p.reads).map((p) => p.sendToReceive.p99));
    const effect = withP99 / withoutP99 - 1;
    console.log(`\nsend->receive p99: ${withoutP99} ms without receipts, ${withP99} ms with ${CONFIG.readRate} reads/s: ${(effect * 100).toFixed(1)}% (target: within ${CONFIG.maxEffect * 100}%)`);

    const failures = [];
    for (const p of phases) {
      if (p.lost > 0) failures.push(`${p.phase}: ${p.lost} deliveries lost`);
      if (p.duplicates > 0) failures.push(`${p.phase}: ${p.duplicates} duplicates`);
      if (p.readsFailed > 0) failures.push(`${p.phase}: ${p.readsFailed} reads refused or unanswered`);
    }
    if (effect > CONFIG.maxEffect) failures.push(`receipt traffic moved send->receive p99 by ${(effect * 100).toFixed(1)}% (> ${CONFIG.maxEffect * 100}%)`);

    // A run standing in for autovacuum is kept apart from the plain one.
    reportResults(CONFIG.vacuumEverySeconds > 0 ? 'receipts-vacuum' : 'receipts', {
      benchmark: 'receipts',
      timestamp: new Date().toISOString(),
      quick: QUICK,
      machine: await machineInfo(),
      config: CONFIG,
      phases,
      p99WithoutReceiptsMs: withoutP99,
      p99WithReceiptsMs: withP99,
      receiptEffectOnP99: effect,
      passed: failures.length === 0,
      failures,
      note:
        'Load generators, server, PostgreSQL and Redis share the same 2-core machine. Each group has 25 timed members (senders and receivers, in the main process) and 25 readers (in a process of their own). "cpu waited" is the share of the phase in which a runnable task waited for a CPU.',
    });
  } finally {
    clearInterval(vacuumer);
    if (sockets) closeAll(sockets);
    await readers?.close();
    await server?.stop();
    await infra.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
