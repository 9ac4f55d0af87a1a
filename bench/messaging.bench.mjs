// Message latency under load: real socket.io clients against one server node on PostgreSQL + Redis.
//   - steady: 2,000 connected users, 400 conversations of 5, 500 messages/s for 60 s
//   - ramp: the highest rate at which send->receive p99 stays under 100 ms
// (Receipt traffic has its own benchmark: bench/receipts.bench.mjs.)
// Prints a table and saves bench/results/messaging.json. Exits non-zero if a message is lost or
// duplicated, or the steady run misses the spec (p50 < 100 ms, p95 < 500 ms, p99 < 1 s).
//
// With BENCH_VS_REFERENCE=1 (or --vs-reference) it instead holds the product against the bare
// reference server (bench/reference/server.mjs) in one run, alternating, and saves
// bench/results/messaging-vs-reference.json; see compareWithReference below.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createBenchInfra, machineInfo, printTable, processStats, reportResults, sleep, startLoadServer, withAdmin } from './lib/bench-kit.mjs';
import { cpuSince, cpuSnapshot, procStats } from './lib/proc-stats.mjs';
import { seedReferenceUsersInGroups, signInReferenceUsers, startReferenceServer } from './lib/reference-server.mjs';
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

// ---------------------------------------------------------------------------------------------
// Product vs reference. Each round measures both sides one after the other (the order flips every
// round, so a machine that slows down over the run hurts neither side more). A side runs alone: its
// server is started, its users connect (heartbeating from connect, reconnecting like real
// clients), a warm-up, then the measured phase, then everything is closed and the server stopped.
// CPU per message comes from /proc before and after the measured phase (send phase plus the grace
// for the last deliveries): the server process, every PostgreSQL process, Redis.

/** Load shapes of issue 14's targets; BENCH_USERS / BENCH_MESSAGE_RATE override one. */
const SCENARIOS = {
  'rooms-of-5': { users: 2000, groupSize: 5, rate: 500 },
  'rooms-of-5-small': { users: 400, groupSize: 5, rate: 150 },
  'rooms-of-500': { users: 1000, groupSize: 500, rate: 4 },
};

/** Issue 14's ceilings on product / reference for the rooms-of-5 load (median of the rounds). */
const ROOMS_OF_5_TARGETS = {
  serverCpuMsPerMessage: 1.3,
  postgresCpuMsPerMessage: 1.3,
  redisCpuMsPerMessage: 1.5,
  receiveP50Ms: 1.5,
  receiveP99Ms: 2,
};
const TARGETS = {
  'rooms-of-5': ROOMS_OF_5_TARGETS,
  'rooms-of-5-small': ROOMS_OF_5_TARGETS,
  'rooms-of-500': { postgresCpuMsPerMessage: 1.5, ackP50Ms: 1.5 },
};

/** Both servers get it, so a random sender never hits the per-user limit (30/min) of a real client. */
const MESSAGE_RATE_LIMIT = '1000000';

function compareConfig() {
  const scenario = process.env.BENCH_SCENARIO ?? 'rooms-of-5';
  const shape = SCENARIOS[scenario];
  if (!shape) throw new Error(`BENCH_SCENARIO must be one of ${Object.keys(SCENARIOS).join(', ')}`);
  const users = Number(process.env.BENCH_USERS ?? shape.users);
  const config = {
    scenario,
    users,
    groupSize: shape.groupSize,
    groups: Math.max(1, Math.floor(users / shape.groupSize)),
    rate: Number(process.env.BENCH_MESSAGE_RATE ?? shape.rate),
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? (QUICK ? 3 : 10)),
    phaseSeconds: Number(process.env.BENCH_PHASE_SECONDS ?? (QUICK ? 10 : 60)),
    heartbeatSeconds: 15,
    messageRateLimitPerMinute: Number(MESSAGE_RATE_LIMIT),
  };
  if (!(config.rounds >= 1 && config.users >= config.groupSize && config.rate > 0 && config.phaseSeconds > 0)) throw new Error(`bad configuration ${JSON.stringify(config)}`);
  return config;
}

/** Turns autovacuum on for the run (as in production); `restore` puts back what was there. */
async function autovacuumOn() {
  const before = await withAdmin(async (admin) => {
    const { rows } = await admin.query(`select setting from pg_settings where name = 'autovacuum'`);
    // A value set earlier by ALTER SYSTEM is put back as it was; otherwise ours is removed.
    const altered = await admin.query(`select setting from pg_file_settings where name = 'autovacuum' and sourcefile like '%postgresql.auto.conf' and applied`);
    await admin.query('alter system set autovacuum = on');
    await admin.query('select pg_reload_conf()');
    return { setting: rows[0].setting, alteredSystemValue: altered.rows[0]?.setting ?? null };
  });
  await sleep(500);
  const during = await withAdmin((admin) => admin.query('show autovacuum')).then((r) => r.rows[0].autovacuum);
  let restored = false;
  return {
    before: before.setting,
    during,
    restore: async () => {
      if (restored) return;
      restored = true;
      await withAdmin(async (admin) => {
        if (before.alteredSystemValue === null) await admin.query('alter system reset autovacuum');
        else await admin.query(`alter system set autovacuum = '${before.alteredSystemValue === 'on' ? 'on' : 'off'}'`);
        await admin.query('select pg_reload_conf()');
      });
    },
  };
}

const SIDES = {
  product: {
    start: (infra) => startLoadServer(infra, { MESSAGE_RATE_LIMIT }),
    seed: (server, infra, config) => seedUsersInGroups(infra.databaseUrl, config),
    signIn: async (server, seeded) => seeded,
  },
  reference: {
    start: (infra) => startReferenceServer(infra, { MESSAGE_RATE_LIMIT }),
    seed: (server, infra, config) => seedReferenceUsersInGroups(server.baseUrl, config),
    signIn: (server, seeded) => signInReferenceUsers(server.baseUrl, seeded),
  },
};

/**
 * Pids of PostgreSQL processes working for databases other than `databaseName` right now (client
 * backends, autovacuum workers); the shared ones (WAL writer, checkpointer, …) have no database.
 */
async function otherDatabasesBackends(databaseName) {
  const { rows } = await withAdmin((admin) => admin.query('select pid from pg_stat_activity where datname is not null and datname <> $1', [databaseName]));
  return new Set(rows.map((r) => r.pid));
}

/** One side of one round: start, connect, warm up, measure, close, stop. */
async function measureSide(name, state, config, round) {
  const side = SIDES[name];
  const server = await side.start(state.infra);
  const tracker = makeTracker();
  let sockets;
  let disconnects = 0;
  try {
    state.seeded = state.seeded ? await side.signIn(server, state.seeded) : await side.seed(server, state.infra, config);
    const connectStart = performance.now();
    sockets = await connectAll(
      server.baseUrl,
      state.seeded,
      state.seeded.users,
      { 'message:received': tracker.received, disconnect: () => disconnects++ },
      { reconnect: true, heartbeatFromConnect: true },
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;
    // A send is given up after 10 s without an ack: settling waits for every ack and delivery up to then.
    const common = { sockets, tracker, groups: state.seeded.groups, rate: config.rate, baseUrl: server.baseUrl, stats: procStats(server.pid), settle: true, graceMs: 11_000 };
    const warmup = await runPhase(`${name} warm-up`, { ...common, seconds: config.warmupSeconds });
    // Dirty pages of the seeding and warm-up are written now, not in one side's measured phase.
    await withAdmin((admin) => admin.query('checkpoint'));
    const loadAverage = os.loadavg();
    const databaseName = new URL(state.infra.databaseUrl).pathname.slice(1);
    const before = cpuSnapshot(server.pid, await otherDatabasesBackends(databaseName));
    const phase = await runPhase(`${name} round ${round}`, { ...common, seconds: config.phaseSeconds });
    const otherBackends = await otherDatabasesBackends(databaseName);
    const cpu = cpuSince(before, cpuSnapshot(server.pid, otherBackends));
    const perMessage = (seconds) => Math.round(((seconds * 1000) / Math.max(1, phase.acked)) * 1000) / 1000;
    return {
      side: name,
      round,
      connectSeconds: Math.round(connectSeconds * 10) / 10,
      loadAverageBefore: loadAverage,
      cpuMsPerMessage: { server: perMessage(cpu.serverSeconds), postgres: perMessage(cpu.postgresSeconds), redis: perMessage(cpu.redisSeconds) },
      cpuSeconds: cpu,
      postgresCpuMsPerMessageAllDatabases: perMessage(cpu.postgresAllDatabasesSeconds),
      disconnects,
      warmup: { sent: warmup.sent, acked: warmup.acked, lost: warmup.lost, duplicates: warmup.duplicates },
      ...phase,
    };
  } finally {
    if (sockets) closeAll(sockets);
    await server.stop();
  }
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const METRICS = {
  ackP50Ms: (r) => r.sendToAck.p50,
  ackP99Ms: (r) => r.sendToAck.p99,
  receiveP50Ms: (r) => r.sendToReceive.p50,
  receiveP99Ms: (r) => r.sendToReceive.p99,
  serverCpuMsPerMessage: (r) => r.cpuMsPerMessage.server,
  postgresCpuMsPerMessage: (r) => r.cpuMsPerMessage.postgres,
  redisCpuMsPerMessage: (r) => r.cpuMsPerMessage.redis,
  serverMaxRssMiB: (r) => r.maxRssMiB,
};

async function compareWithReference() {
  const config = compareConfig();
  const loadAverageAtStart = os.loadavg();
  const autovacuum = await autovacuumOn();
  const states = { product: { infra: await createBenchInfra('messaging_product') }, reference: { infra: await createBenchInfra('messaging_reference') } };
  const cleanup = async () => {
    await Promise.allSettled([autovacuum.restore(), states.product.infra.dispose(), states.reference.infra.dispose()]);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    const machine = await machineInfo();
    const runs = [];
    for (let round = 1; round <= config.rounds; round++) {
      const order = round % 2 ? ['product', 'reference'] : ['reference', 'product'];
      for (const name of order) {
        console.log(`round ${round}/${config.rounds}: ${name}`);
        const run = await measureSide(name, states[name], config, round);
        console.log(
          `  sent ${run.sent}, acked ${run.acked}, lost ${run.lost}, dup ${run.duplicates}; recv p50/p99 ${run.sendToReceive.p50}/${run.sendToReceive.p99} ms; ` +
            `cpu ms/msg server ${run.cpuMsPerMessage.server}, postgres ${run.cpuMsPerMessage.postgres}, redis ${run.cpuMsPerMessage.redis}`,
        );
        runs.push(run);
        await sleep(3000); // let the stopped server's connections and the machine settle
      }
    }

    const medians = {};
    const ratios = {};
    for (const [metric, read] of Object.entries(METRICS)) {
      medians[metric] = {
        product: median(runs.filter((r) => r.side === 'product').map(read)),
        reference: median(runs.filter((r) => r.side === 'reference').map(read)),
      };
      const { product, reference } = medians[metric];
      ratios[metric] = product !== null && reference ? Math.round((product / reference) * 100) / 100 : null;
    }
    const totals = (name) => {
      const mine = runs.filter((r) => r.side === name);
      return { sent: mine.reduce((n, r) => n + r.sent, 0), acked: mine.reduce((n, r) => n + r.acked, 0), noAck: mine.reduce((n, r) => n + r.failed, 0), lost: mine.reduce((n, r) => n + r.lost, 0), duplicates: mine.reduce((n, r) => n + r.duplicates, 0), disconnects: mine.reduce((n, r) => n + r.disconnects, 0) };
    };
    const delivery = { product: totals('product'), reference: totals('reference') };

    printTable(
      runs.map((r) => ({
        round: r.round,
        side: r.side,
        acked: r.acked,
        'lost/dup': `${r.lost}/${r.duplicates}`,
        'ack p50/p99 ms': `${r.sendToAck.p50}/${r.sendToAck.p99}`,
        'recv p50/p99 ms': `${r.sendToReceive.p50}/${r.sendToReceive.p99}`,
        'cpu ms/msg server/pg/redis': `${r.cpuMsPerMessage.server}/${r.cpuMsPerMessage.postgres}/${r.cpuMsPerMessage.redis}`,
        'rss MiB': r.maxRssMiB,
        'cpu waited': r.machineCpuPressure,
      })),
      ['round', 'side', 'acked', 'lost/dup', 'ack p50/p99 ms', 'recv p50/p99 ms', 'cpu ms/msg server/pg/redis', 'rss MiB', 'cpu waited'],
    );
    console.log('');
    printTable(
      Object.keys(METRICS).map((metric) => ({ 'median of the rounds': metric, product: medians[metric].product, reference: medians[metric].reference, 'product / reference': ratios[metric], target: TARGETS[config.scenario][metric] ? `<= ${TARGETS[config.scenario][metric]}` : '' })),
      ['median of the rounds', 'product', 'reference', 'product / reference', 'target'],
    );

    const failures = [];
    for (const [name, t] of Object.entries(delivery)) {
      if (t.lost > 0) failures.push(`${name}: ${t.lost} deliveries lost`);
      if (t.duplicates > 0) failures.push(`${name}: ${t.duplicates} duplicates`);
      if (t.noAck > 0) failures.push(`${name}: ${t.noAck} sends without a successful ack`);
    }
    const targets = Object.entries(TARGETS[config.scenario]).map(([metric, ceiling]) => ({ metric, ceiling, ratio: ratios[metric], met: ratios[metric] !== null && ratios[metric] <= ceiling }));
    for (const t of targets) if (!t.met) failures.push(`${t.metric}: product / reference ${t.ratio} > ${t.ceiling}`);

    // The first target keeps the plain name; other scenarios get their own file.
    reportResults(config.scenario === 'rooms-of-5' && !QUICK ? 'messaging-vs-reference' : `messaging-vs-reference-${config.scenario}${QUICK ? '-quick' : ''}`, {
      benchmark: 'messaging-vs-reference',
      timestamp: new Date().toISOString(),
      quick: QUICK,
      machine,
      loadAverage: { atStart: loadAverageAtStart, atEnd: os.loadavg() },
      autovacuum: { before: autovacuum.before, duringRun: autovacuum.during, restoredAfter: true },
      config,
      messageRateLimit: `MESSAGE_RATE_LIMIT=${MESSAGE_RATE_LIMIT} on both servers: senders are picked at random, so some would pass the real 30/min`,
      medians,
      ratios: { note: 'product / reference of the medians', ...ratios },
      targets,
      delivery,
      runs,
      passed: failures.length === 0,
      failures,
      note:
        'Both servers, PostgreSQL, Redis and the load generator share this machine; each side runs alone, the order flips every round. ' +
        'CPU per message = CPU seconds of the process(es) over the measured phase (send phase, then until every send is acked and delivered or timed out, at most 11 s; heartbeats included) / acked messages. ' +
        'PostgreSQL = every postgres process except those working for other databases: their client backends and autovacuum workers (postgresCpuMsPerMessageAllDatabases counts those too); ' +
        'Redis = the whole redis-server, so anything else using this Redis during the run counts.',
    });
  } finally {
    await cleanup();
  }
}

const compare = process.env.BENCH_VS_REFERENCE === '1' || process.argv.includes('--vs-reference');
(compare ? compareWithReference() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
