// Read receipts under load: does receipt traffic slow message delivery down?
// 2,000 connected users in 40 groups of 50; messages at a steady rate into those groups, in
// alternating phases without and with 2,000 receipt:read/s (each a read of the group's newest
// message by a random member). Target (issue "Read receipts"): send->receive p99 with receipts
// within 20% of the figure without. Prints a table, saves bench/results/receipts.json, exits 1 if
// the target is missed or a message is lost or duplicated.
//
// Environment: BENCH_QUICK=1 (short phases), BENCH_MESSAGE_RATE (default 100 messages/s = 5,000
// deliveries/s), BENCH_READ_RATE (default 2000/s).
import { performance } from 'node:perf_hooks';
import { createBenchInfra, machineInfo, printTable, processStats, REDIS_URL, reportResults, sleep, startServer } from './lib/bench-kit.mjs';
import { closeAll, connectAll, makeTracker, runPhase, seedUsersInGroups } from './lib/socket-load.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const CONFIG = {
  users: 2000,
  groups: 40,
  groupSize: 50,
  messageRate: Number(process.env.BENCH_MESSAGE_RATE ?? 100),
  readRate: Number(process.env.BENCH_READ_RATE ?? 2000),
  phaseSeconds: QUICK ? 8 : 30,
  // without, with, without, with: a drift of the machine over time shows up in both.
  rounds: QUICK ? 1 : 2,
  flushIntervalMs: Number(process.env.BENCH_FLUSH_MS ?? 10_000),
  maxEffect: 0.2,
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.round(((sorted[middle - 1] + sorted[middle]) / 2) * 100) / 100;
};

async function main() {
  const infra = await createBenchInfra('receipts');
  let server;
  let sockets;
  try {
    server = await startServer({
      DATABASE_URL: infra.databaseUrl,
      REDIS_URL,
      REDIS_KEY_PREFIX: infra.redisPrefix,
      DATA_DIR: infra.dataDir,
      MESSAGE_RATE_LIMIT: '1000000',
      RECEIPT_FLUSH_INTERVAL_MS: String(CONFIG.flushIntervalMs),
    });
    const seeded = await seedUsersInGroups(infra.databaseUrl, CONFIG);
    const tracker = makeTracker();
    let counts = 0;
    const connectStart = performance.now();
    sockets = await connectAll(server.baseUrl, seeded, seeded.users, {
      'message:received': tracker.received,
      'receipt:count': () => counts++,
    });
    console.log(`${sockets.size} sockets connected in ${((performance.now() - connectStart) / 1000).toFixed(1)} s`);

    const common = { sockets, tracker, baseUrl: server.baseUrl, groups: seeded.groups, rate: CONFIG.messageRate, seconds: CONFIG.phaseSeconds };
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
      })),
      ['phase', 'sent', 'lost', 'dup', 'reads', 'read errors', 'read ack p50/p99 ms', 'receipt:count recv', 'recv p50/p95/p99/max ms', 'cpu cores', 'rss MiB', 'server loop lag p99 ms', 'generator busy'],
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

    reportResults('receipts', {
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
      note: 'Load generator, server, PostgreSQL and Redis share the same 2-core machine.',
    });
  } finally {
    if (sockets) closeAll(sockets);
    await server?.stop();
    await infra.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
