// Message latency under load: real socket.io clients against one server node on PostgreSQL + Redis.
//   - steady: 2,000 connected users, 400 conversations of 5, 500 messages/s for 60 s
//   - ramp: the highest rate at which send->receive p99 stays under 100 ms
// (Receipt traffic has its own benchmark: bench/receipts.bench.mjs.)
// Prints a table and saves bench/results/messaging.json. Exits non-zero if a message is lost or
// duplicated, or the steady run misses the spec (p50 < 100 ms, p95 < 500 ms, p99 < 1 s).
import { performance } from 'node:perf_hooks';
import { createBenchInfra, machineInfo, printTable, processStats, reportResults, startLoadServer } from './lib/bench-kit.mjs';
import { closeAll, connectAll, makeTracker, runPhase, seedUsersInGroups } from './lib/socket-load.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const CONFIG = {
  users: 2000,
  groups: 400,
  groupSize: 5,
  steadyRate: 500,
  steadySeconds: QUICK ? 10 : 60,
  rampRates: QUICK ? [500, 1000] : [250, 500, 1000, 1500, 2000, 3000],
  rampSeconds: QUICK ? 5 : 15,
  rampP99TargetMs: 100,
};

async function main() {
  const infra = await createBenchInfra('messaging');
  let server;
  let sockets;
  try {
    server = await startLoadServer(infra);
    const seeded = await seedUsersInGroups(infra.databaseUrl, CONFIG);
    const tracker = makeTracker();
    const connectStart = performance.now();
    sockets = await connectAll(server.baseUrl, seeded, seeded.users, { 'message:received': tracker.received });
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const afterConnect = await processStats(server.baseUrl);
    console.log(`${sockets.size} sockets connected in ${connectSeconds.toFixed(1)} s; server RSS ${Math.round(afterConnect.rssBytes / 2 ** 20)} MiB`);

    const common = { sockets, tracker, baseUrl: server.baseUrl, groups: seeded.groups };
    const phases = [];
    phases.push(await runPhase(`steady ${CONFIG.steadyRate}/s, groups of ${CONFIG.groupSize}`, { ...common, rate: CONFIG.steadyRate, seconds: CONFIG.steadySeconds }));
    let highestUnderTarget = 0;
    for (const rate of CONFIG.rampRates) {
      const result = await runPhase(`ramp ${rate}/s`, { ...common, rate, seconds: CONFIG.rampSeconds });
      phases.push(result);
      if (result.sendToReceive.p99 < CONFIG.rampP99TargetMs && result.lost === 0 && result.failed === 0) highestUnderTarget = rate;
      else break;
    }

    printTable(
      phases.map((p) => ({
        phase: p.phase,
        sent: p.sent,
        acked: p.acked,
        'no ack': p.failed,
        lost: p.lost,
        dup: p.duplicates,
        'ack p50/p95/p99/max ms': `${p.sendToAck.p50}/${p.sendToAck.p95}/${p.sendToAck.p99}/${p.sendToAck.max}`,
        'recv p50/p95/p99/max ms': `${p.sendToReceive.p50}/${p.sendToReceive.p95}/${p.sendToReceive.p99}/${p.sendToReceive.max}`,
        'cpu cores': p.cpuCores.toFixed(2),
        'rss MiB': p.maxRssMiB,
      })),
      ['phase', 'sent', 'acked', 'no ack', 'lost', 'dup', 'ack p50/p95/p99/max ms', 'recv p50/p95/p99/max ms', 'cpu cores', 'rss MiB'],
    );
    const steady = phases[0];
    console.log(`\nhighest rate with send->receive p99 < ${CONFIG.rampP99TargetMs} ms: ${highestUnderTarget}/s`);

    const failures = [];
    for (const p of phases) {
      if (p.lost > 0) failures.push(`${p.phase}: ${p.lost} deliveries lost`);
      if (p.duplicates > 0) failures.push(`${p.phase}: ${p.duplicates} duplicates`);
    }
    if (!(steady.sendToReceive.p50 < 100 && steady.sendToReceive.p95 < 500 && steady.sendToReceive.p99 < 1000)) failures.push('steady run misses the spec (p50 < 100, p95 < 500, p99 < 1000 ms)');

    reportResults('messaging', {
      benchmark: 'messaging',
      timestamp: new Date().toISOString(),
      quick: QUICK,
      machine: await machineInfo(),
      config: CONFIG,
      connect: { sockets: sockets.size, seconds: connectSeconds, serverRssMiB: Math.round(afterConnect.rssBytes / 2 ** 20) },
      phases,
      highestRateUnderP99TargetPerSecond: highestUnderTarget,
      passed: failures.length === 0,
      failures,
      note: 'Load generator and server share the same 2-core machine; figures include the generator competing for CPU.',
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
