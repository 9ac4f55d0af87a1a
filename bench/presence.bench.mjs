// Presence at rest and in a connect storm, held against the bare reference server
// (bench/reference/server.mjs: socket.io + pg + the same Redis Streams adapter, no presence) where a
// ratio says more than an absolute. Real socket.io clients in this process heartbeat every 15 s (from
// connect in the storm, like the web client; from a random point of the period at rest, like clients
// that connected at different times); on the product each subscribes on auth:success to the presence
// of a sidebar of 20 users (`presence:subscribe`). Scenarios (BENCH_SCENARIO, a comma list; all by default):
//   - idle-heartbeats: 3,000 users + 50 messages/s in rooms of 5, product vs reference alternating
//     over BENCH_ROUNDS rounds: server RSS and CPU per message (heartbeats included; server,
//     PostgreSQL, Redis). Before the messages, a heartbeat-only window: Redis round trips and
//     PostgreSQL transactions per heartbeat.
//   - idle-10k: 10,000 idle sockets heartbeating on one node: server RSS (product < 1 GiB).
//   - connect-storm: the 1,000 members of one group connect within 10 s: all get auth:success,
//     presence:update per connection (bounded by the 20 watchers, not the 999 co-members), CPU of
//     the storm, time until all connected.
// Each saves bench/results/presence-<scenario>[-quick].json and fails (exit code 1) when a target is
// missed. Options: see bench/README.md (BENCH_QUICK, BENCH_ROUNDS, BENCH_PHASE_SECONDS, ...).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  cpuPressureSince,
  createBenchInfra,
  machineInfo,
  metricsUrlOf,
  newHistogram,
  printTable,
  REDIS_URL,
  requireFromServer,
  reportResults,
  ROOT,
  sleep,
  startLoadServer,
  summarize,
  withAdmin,
} from './lib/bench-kit.mjs';
import { createPresenceFleet, neighbours } from './lib/presence-clients.mjs';
import { CPU_TIME_SOURCE, cpuSince, cpuSnapshot, procStats, readProcess } from './lib/proc-stats.mjs';
import { monitorProcessCommands, redisInfoDelta, redisInfoSnapshot } from './lib/redis-stats.mjs';
import { seedReferenceUsersInGroups, signInReferenceUsers, startReferenceServer } from './lib/reference-server.mjs';
import { HEARTBEAT_MS, makeTracker, runPhase, seedUsersInGroups, withDatabase } from './lib/socket-load.mjs';
import { autovacuumOn, checkRatios, databaseNameOf, mediansAndRatios, otherDatabasesBackends, printMedians } from './lib/vs-reference.mjs';

const Redis = requireFromServer('ioredis');

const QUICK = process.env.BENCH_QUICK === '1';
const numberFromEnv = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const ROUNDS = numberFromEnv('BENCH_ROUNDS', QUICK ? 1 : 3);
const TIMEOUT_SECONDS = numberFromEnv('BENCH_TIMEOUT_SECONDS', QUICK ? 900 : 1500);
// The product's cap on a group (not configurable): the storm's group is as large as it allows, up to 1,000.
const GROUP_MAX_PARTICIPANTS = Number(
  /GROUP_MAX_PARTICIPANTS\s*=\s*([\d_]+)/
    .exec(readFileSync(join(ROOT, 'packages/shared/src/conversations/conversation.schema.ts'), 'utf8'))?.[1]
    .replaceAll('_', '') ?? 1000,
);
/** Both servers get it: senders are picked at random, so some would pass the real 30 per minute. */
const MESSAGE_RATE_LIMIT = '1000000';
const SIDEBAR = 20;

const SCENARIOS = {
  'idle-heartbeats': {
    run: idleHeartbeats,
    config: {
      users: 3000,
      groupSize: 5,
      groups: 600,
      rate: 50,
      rounds: ROUNDS,
      sidebar: SIDEBAR,
      // PostgreSQL publishes a backend's counters up to 10 s late: the connects' must land before the heartbeat window.
      quietSeconds: 10,
      heartbeatWindowSeconds: QUICK ? 10 : 15,
      warmupSeconds: QUICK ? 3 : 5,
      phaseSeconds: numberFromEnv('BENCH_PHASE_SECONDS', QUICK ? 10 : 20),
    },
    targets: {
      ratios: { serverMaxRssMiB: 1.5, serverCpuMsPerMessage: 1.5, postgresCpuMsPerMessage: 1.5, redisCpuMsPerMessage: 1.5 },
      // Absolute, product side, median of the rounds. One round trip per heartbeat, with 2 % for the
      // heartbeats on their way at the window's edges; ~0 transactions (0.01 leaves room for the bench's own queries).
      product: { redisRoundTripsPerHeartbeat: 1.02, postgresTransactionsPerHeartbeat: 0.01 },
    },
  },
  'idle-10k': {
    run: idle10k,
    config: {
      users: 10_000,
      groupSize: 5,
      groups: 2000,
      sidebar: SIDEBAR,
      settleSeconds: HEARTBEAT_MS / 1000,
      windowSeconds: QUICK ? 10 : 20,
      reference: process.env.BENCH_IDLE_10K_REFERENCE === '1',
    },
    targets: { productMaxRssMiB: 1024 },
  },
  'connect-storm': {
    run: connectStorm,
    config: {
      members: Math.min(1000, GROUP_MAX_PARTICIPANTS),
      groupMaxParticipants: GROUP_MAX_PARTICIPANTS,
      sidebar: SIDEBAR,
      stormSeconds: 10,
      windowSeconds: 15,
      rounds: ROUNDS,
      connectTimeoutSeconds: 30,
      seed: 20_260_101,
    },
    targets: { allAuthenticated: true, presenceUpdatesPerConnectionMax: SIDEBAR },
  },
};

const SIDES = {
  product: {
    start: (infra) => startLoadServer(infra, { MESSAGE_RATE_LIMIT }),
    seed: (server, infra, shape) => seedUsersInGroups(infra.databaseUrl, shape),
    signIn: async (server, seeded) => seeded,
    keepsPresence: true,
  },
  reference: {
    start: (infra) => startReferenceServer(infra, { MESSAGE_RATE_LIMIT }),
    seed: (server, infra, shape) => seedReferenceUsersInGroups(server.baseUrl, shape),
    signIn: (server, seeded) => signInReferenceUsers(server.baseUrl, seeded),
    keepsPresence: false,
  },
};
const SUBSCRIBING =
  `Product clients emit presence:subscribe on auth:success for ${SIDEBAR} users (the next ones in seed order, wrapping; ack timeout 5 s, no ack = 0 presences). ` +
  'Reference clients do not subscribe: it keeps no presence and would not answer.';

// Everything a run started, so a failure or an interrupt cleans it all up.
const live = { servers: new Set(), fleets: new Set(), infras: new Set(), autovacuum: undefined };
async function cleanup() {
  for (const fleet of live.fleets) fleet.close();
  await Promise.allSettled([...live.servers].map((s) => s.stop()));
  await Promise.allSettled([...live.infras].map((i) => i.dispose()));
  await live.autovacuum?.restore().catch(() => undefined);
}

const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);
const mib = (bytes) => Math.round(bytes / 2 ** 20);
const ms = (seconds) => round(seconds * 1000, 1);

async function newInfra(name) {
  const infra = await createBenchInfra(name);
  live.infras.add(infra);
  return { infra };
}

async function disposeInfras(states) {
  for (const { infra } of Object.values(states)) {
    await infra.dispose();
    live.infras.delete(infra);
  }
}

/** Starts a side's server, seeds it (the first time) or signs its users in again, runs `work`, stops it. */
async function withServer(name, state, shape, work) {
  const side = SIDES[name];
  const server = await side.start(state.infra);
  live.servers.add(server);
  const fleets = [];
  const keep = (fleet) => {
    fleets.push(fleet);
    live.fleets.add(fleet);
    return fleet;
  };
  try {
    state.seeded = state.seeded ? await side.signIn(server, state.seeded) : await side.seed(server, state.infra, shape);
    const result = await work(server, state.seeded, keep);
    // A server that died mid-run makes every figure after it meaningless: say why it died.
    if (!readProcess(server.pid)) throw new Error(`the ${name} server exited during the run: ${server.output().slice(-3000)}`);
    return result;
  } finally {
    for (const fleet of fleets) {
      fleet.close();
      live.fleets.delete(fleet);
    }
    await server.stop();
    live.servers.delete(server);
  }
}

function fleetOf(name, server, seeded, options = {}) {
  return createPresenceFleet(server.baseUrl, seeded, { watchOf: neighbours(seeded.users, SIDEBAR), subscribe: SIDES[name].keepsPresence, ...options });
}

const cpuOf = async (pid, databaseUrl) => cpuSnapshot(pid, await otherDatabasesBackends(databaseNameOf(databaseUrl)));

/** Subscribe acks as the JSON keeps them. */
const subscribeSummary = (fleet) => ({
  ...fleet.stats.subscribe,
  ackP99Ms: fleet.stats.subscribeAck.length
    ? round(fleet.stats.subscribeAck.sort((a, b) => a - b)[Math.floor(fleet.stats.subscribeAck.length * 0.99)], 1)
    : null,
});

// ---------------------------------------------------------------------------------------------
// idle-heartbeats

/**
 * Heartbeats only, for `seconds`: what the server's own Redis connections sent (MONITOR), Redis
 * instance-wide (INFO commandstats), the bench database's committed transactions, and CPU per heartbeat.
 */
async function heartbeatWindow(server, infra, fleet, seconds) {
  return withDatabase(infra.databaseUrl, async (db) => {
    const xacts = async () => {
      const { rows } = await db.query('select xact_commit, xact_rollback from pg_stat_database where datname = current_database()');
      return { commit: Number(rows[0].xact_commit), rollback: Number(rows[0].xact_rollback) };
    };
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const others = await otherDatabasesBackends(databaseNameOf(infra.databaseUrl));
      const pgBefore = await xacts();
      const infoBefore = await redisInfoSnapshot(redis);
      const monitor = await monitorProcessCommands(REDIS_URL, server.pid, infra.redisPrefix);
      // From here to monitor.stop() nothing awaits I/O of its own: the heartbeats counted are those MONITOR saw.
      const sentBefore = fleet.stats.heartbeatsSent;
      const cpuBefore = cpuSnapshot(server.pid, others);
      const pressure = cpuPressureSince();
      const t0 = performance.now();
      await sleep(seconds * 1000);
      const heartbeats = fleet.stats.heartbeatsSent - sentBefore;
      const cpu = cpuSince(cpuBefore, cpuSnapshot(server.pid, others));
      const commands = monitor.stop();
      const wall = (performance.now() - t0) / 1000;
      const info = redisInfoDelta(infoBefore, await redisInfoSnapshot(redis));
      const pgAfter = await xacts();
      const per = (n) => round(n / Math.max(1, heartbeats), 3);
      // A command the server sends per heartbeat shows up about as often as heartbeats; the adapter's
      // XREAD, health pings and the presence sweeper run on their own clocks, far less often.
      const scaling = Object.entries(commands.sentByCommand).filter(([, n]) => n >= 0.1 * heartbeats);
      const background = Object.fromEntries(Object.entries(commands.sentByCommand).filter(([, n]) => n < 0.1 * heartbeats));
      return {
        seconds: round(wall, 1),
        heartbeats,
        heartbeatsPerSecond: round(heartbeats / wall, 1),
        redis: {
          roundTripsPerHeartbeat: per(scaling.reduce((n, [, c]) => n + c, 0)),
          commandsSentPerHeartbeat: per(commands.sent),
          sentByCommand: commands.sentByCommand,
          backgroundCommands: background,
          scriptCommandsPerHeartbeat: per(commands.inScripts),
          scriptCommandsByCommand: commands.inScriptsByCommand,
          serverConnections: commands.serverConnections,
          instanceWide: {
            commandstatsCallsPerHeartbeat: per(info.commandstatsCalls),
            totalCommandsProcessedPerHeartbeat: per(info.totalCommandsProcessed),
            topCommandsPerHeartbeat: Object.fromEntries(info.byCommand.slice(0, 8).map((c) => [c.command, per(c.calls)])),
          },
        },
        postgres: {
          transactionsPerHeartbeat: per(pgAfter.commit - pgBefore.commit),
          xactCommit: pgAfter.commit - pgBefore.commit,
          xactRollback: pgAfter.rollback - pgBefore.rollback,
        },
        // Redis CPU is left out: MONITOR itself costs Redis CPU.
        cpuMsPerHeartbeat: {
          server: round((cpu.serverSeconds * 1000) / Math.max(1, heartbeats), 4),
          postgres: round((cpu.postgresSeconds * 1000) / Math.max(1, heartbeats), 4),
        },
        machineCpuPressure: pressure(),
      };
    } finally {
      redis.disconnect();
    }
  });
}

async function idleHeartbeatsSide(name, state, config, roundNo) {
  return withServer(name, state, config, async (server, seeded, keep) => {
    const tracker = makeTracker();
    // Steady state: each client's heartbeat at its own point of the period, as clients that connected at different times.
    const fleet = keep(fleetOf(name, server, seeded, { heartbeatFromConnect: false, listeners: { 'message:received': tracker.received } }));
    const connectCpuBefore = await cpuOf(server.pid, state.infra.databaseUrl);
    const connectSeconds = await fleet.connectMany(seeded.users);
    await fleet.subscribesSettled();
    const connectCpu = cpuSince(connectCpuBefore, await cpuOf(server.pid, state.infra.databaseUrl));
    const rssAfterConnect = readProcess(server.pid)?.rssBytes ?? NaN;
    await sleep(config.quietSeconds * 1000);
    const heartbeatOnly = await heartbeatWindow(server, state.infra, fleet, config.heartbeatWindowSeconds);

    const common = {
      sockets: fleet.sockets,
      tracker,
      groups: seeded.groups,
      rate: config.rate,
      baseUrl: server.baseUrl,
      stats: procStats(server.pid),
      settle: true,
      graceMs: 11_000,
    };
    const warmup = await runPhase(`${name} warm-up`, { ...common, seconds: config.warmupSeconds });
    // Dirty pages of the seeding and warm-up are written now, not in one side's measured phase.
    await withAdmin((admin) => admin.query('checkpoint'));
    const loadAverageBefore = os.loadavg();
    const before = await cpuOf(server.pid, state.infra.databaseUrl);
    const heartbeatsBefore = fleet.stats.heartbeatsSent;
    const phase = await runPhase(`${name} round ${roundNo}`, { ...common, seconds: config.phaseSeconds });
    const cpu = cpuSince(before, await cpuOf(server.pid, state.infra.databaseUrl));
    const perMessage = (seconds) => round((seconds * 1000) / Math.max(1, phase.acked), 3);
    return {
      side: name,
      round: roundNo,
      connected: fleet.sockets.size,
      connectFailures: fleet.stats.connectFailures,
      connectFailureExamples: fleet.stats.connectFailureExamples,
      connectSeconds,
      serverCpuMsPerConnect: round((connectCpu.serverSeconds * 1000) / Math.max(1, fleet.sockets.size), 3),
      serverRssMiBAfterConnect: mib(rssAfterConnect),
      subscribe: subscribeSummary(fleet),
      heartbeatOnly,
      loadAverageBefore,
      heartbeatsDuringPhase: fleet.stats.heartbeatsSent - heartbeatsBefore,
      cpuMsPerMessage: { server: perMessage(cpu.serverSeconds), postgres: perMessage(cpu.postgresSeconds), redis: perMessage(cpu.redisSeconds) },
      cpuSeconds: cpu,
      postgresCpuMsPerMessageAllDatabases: perMessage(cpu.postgresAllDatabasesSeconds),
      unexpectedDisconnects: fleet.stats.disconnects,
      presenceUpdates: fleet.stats.presence.updates,
      warmup: { sent: warmup.sent, acked: warmup.acked, lost: warmup.lost, duplicates: warmup.duplicates },
      ...phase,
    };
  });
}

const IDLE_METRICS = {
  serverMaxRssMiB: (r) => r.maxRssMiB,
  serverCpuMsPerMessage: (r) => r.cpuMsPerMessage.server,
  postgresCpuMsPerMessage: (r) => r.cpuMsPerMessage.postgres,
  redisCpuMsPerMessage: (r) => r.cpuMsPerMessage.redis,
  receiveP50Ms: (r) => r.sendToReceive.p50,
  receiveP99Ms: (r) => r.sendToReceive.p99,
  serverCpuMsPerHeartbeat: (r) => r.heartbeatOnly.cpuMsPerHeartbeat.server,
  redisRoundTripsPerHeartbeat: (r) => r.heartbeatOnly.redis.roundTripsPerHeartbeat,
  redisScriptCommandsPerHeartbeat: (r) => r.heartbeatOnly.redis.scriptCommandsPerHeartbeat,
  postgresTransactionsPerHeartbeat: (r) => r.heartbeatOnly.postgres.transactionsPerHeartbeat,
};

/** A fresh infrastructure for the product and one for the reference server. */
async function bothSides(name) {
  return { product: await newInfra(`${name}_product`), reference: await newInfra(`${name}_reference`) };
}

/**
 * `config.rounds` rounds of `runSide` on both servers, alternating which goes first so that neither
 * always runs on a warmer machine; prints `describe(run)` after each run.
 */
async function alternatingRounds(label, states, config, runSide, describe) {
  const runs = [];
  for (let r = 1; r <= config.rounds; r++) {
    for (const name of r % 2 ? ['product', 'reference'] : ['reference', 'product']) {
      console.log(`${label} round ${r}/${config.rounds}: ${name}`);
      const run = await runSide(name, states[name], config, r);
      console.log(describe(run));
      runs.push(run);
      await sleep(3000); // let the stopped server's connections and the machine settle
    }
  }
  return runs;
}

async function idleHeartbeats(config, targets) {
  const states = await bothSides('presence_hb');
  try {
    const runs = await alternatingRounds('idle-heartbeats', states, config, idleHeartbeatsSide, (run) => {
      const hb = run.heartbeatOnly;
      return (
        `  ${run.connected} connected in ${run.connectSeconds} s; acked ${run.acked}/${run.sent}, lost ${run.lost}, dup ${run.duplicates}; rss ${run.maxRssMiB} MiB; ` +
        `cpu ms/msg server ${run.cpuMsPerMessage.server}, pg ${run.cpuMsPerMessage.postgres}, redis ${run.cpuMsPerMessage.redis}; ` +
        `per heartbeat: redis round trips ${hb.redis.roundTripsPerHeartbeat}, pg xacts ${hb.postgres.transactionsPerHeartbeat}, server cpu ${hb.cpuMsPerHeartbeat.server} ms`
      );
    });
    const { medians, ratios } = mediansAndRatios(runs, IDLE_METRICS);
    printTable(
      runs.map((r) => ({
        round: r.round,
        side: r.side,
        sockets: r.connected,
        'acked/lost/dup': `${r.acked}/${r.lost}/${r.duplicates}`,
        'recv p50/p99 ms': `${r.sendToReceive.p50}/${r.sendToReceive.p99}`,
        'cpu ms/msg srv/pg/redis': `${r.cpuMsPerMessage.server}/${r.cpuMsPerMessage.postgres}/${r.cpuMsPerMessage.redis}`,
        'rss MiB': r.maxRssMiB,
        'hb: redis rt/script cmds': `${r.heartbeatOnly.redis.roundTripsPerHeartbeat}/${r.heartbeatOnly.redis.scriptCommandsPerHeartbeat}`,
        'hb: pg xact': r.heartbeatOnly.postgres.transactionsPerHeartbeat,
        'hb: srv cpu ms': r.heartbeatOnly.cpuMsPerHeartbeat.server,
        'subscribe ok/timeout': r.side === 'product' ? `${r.subscribe.acked}/${r.subscribe.timedOut}` : '-',
        'cpu waited': r.machineCpuPressure,
      })),
      [
        'round',
        'side',
        'sockets',
        'acked/lost/dup',
        'recv p50/p99 ms',
        'cpu ms/msg srv/pg/redis',
        'rss MiB',
        'hb: redis rt/script cmds',
        'hb: pg xact',
        'hb: srv cpu ms',
        'subscribe ok/timeout',
        'cpu waited',
      ],
    );
    console.log('');
    const productTargets = Object.entries(targets.product).map(([metric, ceiling]) => ({
      metric,
      ceiling,
      value: medians[metric].product,
      met: medians[metric].product !== null && medians[metric].product <= ceiling,
    }));
    printMedians(Object.keys(IDLE_METRICS), medians, ratios, (metric) =>
      targets.ratios[metric] ? `ratio <= ${targets.ratios[metric]}` : targets.product[metric] !== undefined ? `product <= ${targets.product[metric]}` : '',
    );
    const productRedis = runs.find((r) => r.side === 'product')?.heartbeatOnly.redis;
    if (productRedis)
      console.log(
        `\nproduct, heartbeat-only window: sent by the server ${JSON.stringify(productRedis.sentByCommand)}; run by its scripts ${JSON.stringify(productRedis.scriptCommandsByCommand)}`,
      );

    const failures = [];
    for (const r of runs) {
      if (r.connectFailures) failures.push(`${r.side} round ${r.round}: ${r.connectFailures} sockets could not connect (${r.connectFailureExamples[0]})`);
      if (r.lost || r.duplicates || r.failed)
        failures.push(`${r.side} round ${r.round}: ${r.lost} lost, ${r.duplicates} duplicates, ${r.failed} sends without a successful ack`);
      if (r.side === 'product' && r.subscribe.acked < r.subscribe.sent)
        failures.push(
          `product round ${r.round}: ${r.subscribe.sent - r.subscribe.acked} of ${r.subscribe.sent} presence:subscribe not acked ok (${r.subscribe.timedOut} timed out)`,
        );
    }
    const ratioTargets = checkRatios(ratios, targets.ratios);
    for (const t of ratioTargets) if (!t.met) failures.push(`${t.metric}: product / reference ${t.ratio} > ${t.ceiling}`);
    for (const t of productTargets) if (!t.met) failures.push(`${t.metric}: product ${t.value} > ${t.ceiling}`);
    return {
      medians,
      ratios: { note: 'product / reference of the medians', ...ratios },
      targets: { ratios: ratioTargets, product: productTargets },
      runs,
      failures,
      notes: [
        SUBSCRIBING,
        'Clients heartbeat every 15 s from a random point of the first period (a steady population), not all from connect.',
        'Each side runs alone, the order flips every round: start, connect every user, subscribe, 10 s quiet, the heartbeat-only window, a warm-up, CHECKPOINT, the measured phase (sends, then until every send is acked and delivered, at most 11 s).',
        'CPU per message = CPU seconds over the measured phase (heartbeats included) / acked messages; PostgreSQL = every postgres process except those of other databases; Redis = the whole redis-server.',
        "Heartbeat-only window: redis.roundTripsPerHeartbeat = commands the server process sent on its own Redis connections (MONITOR, matched by the connections' ports), of the kinds sent about as often as heartbeats (>= 10 % of them), / heartbeats sent; an EVAL counts as one, the commands its script runs are scriptCommandsPerHeartbeat. The rest (adapter XREAD, pings, sweeper) is backgroundCommands. instanceWide is INFO commandstats over the window: every client of this Redis, commands inside scripts included. postgres.transactionsPerHeartbeat = xact_commit of the bench database / heartbeats.",
        `MESSAGE_RATE_LIMIT=${MESSAGE_RATE_LIMIT} on both servers: senders are picked at random.`,
      ],
    };
  } finally {
    await disposeInfras(states);
  }
}

// ---------------------------------------------------------------------------------------------
// idle-10k

/** The V8 heap and external memory of a server that serves /metrics (the product), so RSS can be told from garbage; null otherwise. */
async function serverHeap(server) {
  try {
    const text = await (await fetch(`${metricsUrlOf(server.baseUrl)}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    const heapUsed = value('chat_nodejs_heap_size_used_bytes');
    if (!Number.isFinite(heapUsed)) return null;
    return {
      heapUsedMiB: mib(heapUsed),
      heapTotalMiB: mib(value('chat_nodejs_heap_size_total_bytes')),
      externalMiB: mib(value('chat_nodejs_external_memory_bytes')),
    };
  } catch {
    return null;
  }
}

async function idle10kSide(name, state, config) {
  return withServer(name, state, config, async (server, seeded, keep) => {
    const fleet = keep(fleetOf(name, server, seeded, { heartbeatFromConnect: false }));
    const rssBefore = readProcess(server.pid)?.rssBytes ?? NaN;
    const connectCpuBefore = await cpuOf(server.pid, state.infra.databaseUrl);
    const connectSeconds = await fleet.connectMany(seeded.users);
    await fleet.subscribesSettled();
    const connectCpu = cpuSince(connectCpuBefore, await cpuOf(server.pid, state.infra.databaseUrl));
    const rssAfterConnect = readProcess(server.pid)?.rssBytes ?? NaN;
    console.log(`  ${fleet.sockets.size} connected in ${connectSeconds} s (${fleet.stats.connectFailures} failed); server RSS ${mib(rssAfterConnect)} MiB`);
    // A whole heartbeat period, so every socket is in its steady rhythm.
    await sleep(config.settleSeconds * 1000);
    const before = await cpuOf(server.pid, state.infra.databaseUrl);
    const heartbeatsBefore = fleet.stats.heartbeatsSent;
    const pressure = cpuPressureSince();
    const generatorCpu = process.cpuUsage();
    let maxRss = readProcess(server.pid)?.rssBytes ?? 0;
    const sampler = setInterval(() => (maxRss = Math.max(maxRss, readProcess(server.pid)?.rssBytes ?? 0)), 1000);
    const t0 = performance.now();
    await sleep(config.windowSeconds * 1000);
    clearInterval(sampler);
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuSince(before, await cpuOf(server.pid, state.infra.databaseUrl));
    const heartbeats = fleet.stats.heartbeatsSent - heartbeatsBefore;
    const generator = process.cpuUsage(generatorCpu);
    const heap = await serverHeap(server);
    return {
      side: name,
      connected: fleet.sockets.size,
      connectFailures: fleet.stats.connectFailures,
      connectFailureExamples: fleet.stats.connectFailureExamples,
      connectSeconds,
      connectsPerSecond: Math.round(fleet.sockets.size / connectSeconds),
      // Handshake, auth:success and (product) the subscribe, per socket.
      cpuMsPerConnect: {
        server: round((connectCpu.serverSeconds * 1000) / Math.max(1, fleet.sockets.size), 3),
        postgres: round((connectCpu.postgresSeconds * 1000) / Math.max(1, fleet.sockets.size), 3),
        redis: round((connectCpu.redisSeconds * 1000) / Math.max(1, fleet.sockets.size), 3),
      },
      subscribe: name === 'product' ? subscribeSummary(fleet) : 'not subscribed (no presence)',
      serverRssMiB: { beforeConnect: mib(rssBefore), afterConnect: mib(rssAfterConnect), idleWindowMax: mib(maxRss) },
      serverKiBPerSocket: Math.round((maxRss - rssBefore) / 1024 / Math.max(1, fleet.sockets.size)),
      // After the idle window, from the server's /metrics (the product's only).
      serverHeap: heap,
      idleWindow: {
        seconds: round(wall, 1),
        heartbeatsPerSecond: round(heartbeats / wall, 1),
        cpuCores: { server: round(cpu.serverSeconds / wall, 3), postgres: round(cpu.postgresSeconds / wall, 3), redis: round(cpu.redisSeconds / wall, 3) },
        serverCpuMsPerHeartbeat: round((cpu.serverSeconds * 1000) / Math.max(1, heartbeats), 4),
        machineCpuPressure: pressure(),
      },
      generator: {
        rssMiB: mib(process.memoryUsage().rss),
        heapUsedMiB: mib(process.memoryUsage().heapUsed),
        cpuCores: round((generator.user + generator.system) / 1e6 / wall, 2),
      },
      unexpectedDisconnects: fleet.stats.disconnects,
      presenceUpdates: fleet.stats.presence.updates,
    };
  });
}

async function idle10k(config, targets) {
  const sides = config.reference ? ['product', 'reference'] : ['product'];
  const states = Object.fromEntries(await Promise.all(sides.map(async (name) => [name, await newInfra(`presence_10k_${name}`)])));
  try {
    const runs = [];
    for (const name of sides) {
      console.log(`idle-10k: ${name}`);
      runs.push(await idle10kSide(name, states[name], config));
      await sleep(3000);
    }
    printTable(
      runs.map((r) => ({
        side: r.side,
        sockets: r.connected,
        'connect s': r.connectSeconds,
        'cpu ms/connect srv/pg/redis': `${r.cpuMsPerConnect.server}/${r.cpuMsPerConnect.postgres}/${r.cpuMsPerConnect.redis}`,
        'rss MiB before/connected/max': `${r.serverRssMiB.beforeConnect}/${r.serverRssMiB.afterConnect}/${r.serverRssMiB.idleWindowMax}`,
        'KiB/socket': r.serverKiBPerSocket,
        'cpu cores srv/pg/redis': `${r.idleWindow.cpuCores.server}/${r.idleWindow.cpuCores.postgres}/${r.idleWindow.cpuCores.redis}`,
        'hb/s': r.idleWindow.heartbeatsPerSecond,
        'srv cpu ms/hb': r.idleWindow.serverCpuMsPerHeartbeat,
        'subscribe ok/timeout': r.side === 'product' ? `${r.subscribe.acked}/${r.subscribe.timedOut}` : '-',
        'gen rss MiB': r.generator.rssMiB,
        'cpu waited': r.idleWindow.machineCpuPressure,
      })),
      [
        'side',
        'sockets',
        'connect s',
        'cpu ms/connect srv/pg/redis',
        'rss MiB before/connected/max',
        'KiB/socket',
        'cpu cores srv/pg/redis',
        'hb/s',
        'srv cpu ms/hb',
        'subscribe ok/timeout',
        'gen rss MiB',
        'cpu waited',
      ],
    );
    const product = runs[0];
    const reference = runs.find((r) => r.side === 'reference');
    const failures = [];
    for (const r of runs) {
      if (r.connectFailures) failures.push(`${r.side}: ${r.connectFailures} of ${config.users} sockets could not connect (${r.connectFailureExamples[0]})`);
      if (r.unexpectedDisconnects.unexpected)
        failures.push(`${r.side}: ${r.unexpectedDisconnects.unexpected} sockets dropped (${JSON.stringify(r.unexpectedDisconnects.reasons)})`);
    }
    if (!(product.serverRssMiB.idleWindowMax < targets.productMaxRssMiB))
      failures.push(`product server RSS ${product.serverRssMiB.idleWindowMax} MiB >= ${targets.productMaxRssMiB} MiB`);
    if (product.subscribe.acked < product.subscribe.sent)
      failures.push(
        `product: ${product.subscribe.sent - product.subscribe.acked} of ${product.subscribe.sent} presence:subscribe not acked ok (${product.subscribe.timedOut} timed out)`,
      );
    return {
      targets: [
        {
          metric: 'product server RSS, max of the idle window (MiB)',
          ceiling: `< ${targets.productMaxRssMiB}`,
          value: product.serverRssMiB.idleWindowMax,
          met: product.serverRssMiB.idleWindowMax < targets.productMaxRssMiB,
        },
      ],
      rssRatio: reference ? round(product.serverRssMiB.idleWindowMax / reference.serverRssMiB.idleWindowMax) : null,
      runs,
      failures,
      notes: [
        SUBSCRIBING,
        `One round: the product${config.reference ? ', then the reference' : ' (BENCH_IDLE_10K_REFERENCE=1 adds the reference)'}. Users in ${config.groups} groups of ${config.groupSize}; every socket connects (100 handshakes at a time) and heartbeats every 15 s from a random point of the first period (a population that connected at different times), then ${config.settleSeconds} s to settle and a ${config.windowSeconds} s idle window sampling the server's RSS every second.`,
        'All clients run in this process (one load generator); its RSS is in generator.',
      ],
    };
  } finally {
    await disposeInfras(states);
  }
}

// ---------------------------------------------------------------------------------------------
// connect-storm

function shuffled(items, seed) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

async function connectStormSide(name, state, config, roundNo) {
  return withServer(name, state, { users: config.members, groups: 1, groupSize: config.members }, async (server, seeded, keep) => {
    const fleet = keep(fleetOf(name, server, seeded));
    await sleep(1000); // the server's start-up work is over
    const order = shuffled(seeded.users, config.seed);
    const connectLatency = newHistogram();
    const loadAverageBefore = os.loadavg();
    const before = await cpuOf(server.pid, state.infra.databaseUrl);
    const pressure = cpuPressureSince();
    const t0 = performance.now();
    let lastAuthAt = t0;
    const attempts = [];
    // Open loop on the clock: member k starts at k / members of the storm's duration.
    await new Promise((resolve) => {
      let started = 0;
      const tick = setInterval(() => {
        const due = Math.min(order.length, Math.floor(((performance.now() - t0) / (config.stormSeconds * 1000)) * order.length) + 1);
        for (; started < due; started++) {
          attempts.push(
            fleet.connect(order[started], { timeoutMs: config.connectTimeoutSeconds * 1000 }).then(
              (latencyMs) => {
                connectLatency.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
                lastAuthAt = performance.now();
              },
              () => undefined,
            ),
          );
        }
        if (started === order.length) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const lastStartedSeconds = (performance.now() - t0) / 1000;
    await Promise.all(attempts);
    const allConnectedSeconds = (lastAuthAt - t0) / 1000;
    await fleet.subscribesSettled();
    // Until presence:update has been quiet for a second, and at least `windowSeconds`, so both sides are measured over as long.
    for (let last = fleet.stats.presence.updates; ;) {
      await sleep(1000);
      const now = fleet.stats.presence.updates;
      const elapsed = (performance.now() - t0) / 1000;
      if ((now === last && elapsed >= config.windowSeconds) || elapsed > config.windowSeconds + 30) break;
      last = now;
    }
    const windowSeconds = (performance.now() - t0) / 1000;
    const cpu = cpuSince(before, await cpuOf(server.pid, state.infra.databaseUrl));
    const p = fleet.stats.presence;
    return {
      side: name,
      round: roundNo,
      members: config.members,
      connected: fleet.sockets.size,
      connectFailures: fleet.stats.connectFailures,
      connectFailureExamples: fleet.stats.connectFailureExamples,
      lastConnectStartedSeconds: round(lastStartedSeconds, 2),
      allConnectedSeconds: round(allConnectedSeconds, 2),
      connectToAuthSuccess: summarize(connectLatency),
      windowSeconds: round(windowSeconds, 1),
      cpuMs: {
        server: ms(cpu.serverSeconds),
        postgres: ms(cpu.postgresSeconds),
        redis: ms(cpu.redisSeconds),
        postgresAllDatabases: ms(cpu.postgresAllDatabasesSeconds),
      },
      serverRssMiBAfter: mib(readProcess(server.pid)?.rssBytes ?? NaN),
      loadAverageBefore,
      machineCpuPressure: pressure(),
      subscribe: name === 'product' ? subscribeSummary(fleet) : 'not subscribed (no presence)',
      presenceUpdatesPerConnection: fleet.updatesPerConnection(),
      presence: {
        byStatus: p.byStatus,
        aboutUnwatched: p.aboutUnwatched,
        repeated: p.repeated,
        repeatingTheAck: p.repeatsAck,
        malformed: p.malformed,
        examples: p.examples,
      },
      // Every watched member is online by the end: a connection should know it, from its ack or an update.
      connectionsSeeingAllWatchedOnline: name === 'product' ? fleet.connectionsSeeingAll('online') : null,
      heartbeatsSent: fleet.stats.heartbeatsSent,
      unexpectedDisconnects: fleet.stats.disconnects,
    };
  });
}

const STORM_METRICS = {
  serverCpuMs: (r) => r.cpuMs.server,
  postgresCpuMs: (r) => r.cpuMs.postgres,
  redisCpuMs: (r) => r.cpuMs.redis,
  allConnectedSeconds: (r) => r.allConnectedSeconds,
  connectP50Ms: (r) => r.connectToAuthSuccess.p50,
  connectP99Ms: (r) => r.connectToAuthSuccess.p99,
  serverRssMiBAfter: (r) => r.serverRssMiBAfter,
  presenceUpdatesPerConnectionMean: (r) => r.presenceUpdatesPerConnection.mean,
  presenceUpdatesPerConnectionMax: (r) => r.presenceUpdatesPerConnection.max,
};

async function connectStorm(config, targets) {
  if (config.members < 1000) console.warn(`the product caps a group at ${config.groupMaxParticipants}: the storm uses ${config.members} members`);
  const states = await bothSides('presence_storm');
  try {
    const runs = await alternatingRounds('connect-storm', states, config, connectStormSide, (run) => {
      const u = run.presenceUpdatesPerConnection;
      return (
        `  ${run.connected}/${run.members} connected, all by ${run.allConnectedSeconds} s (auth p50/p99 ${run.connectToAuthSuccess.p50}/${run.connectToAuthSuccess.p99} ms); ` +
        `cpu ms server ${run.cpuMs.server}, pg ${run.cpuMs.postgres}, redis ${run.cpuMs.redis}; presence:update per connection mean ${u.mean}, max ${u.max}`
      );
    });
    const { medians, ratios } = mediansAndRatios(runs, STORM_METRICS);
    printTable(
      runs.map((r) => ({
        round: r.round,
        side: r.side,
        connected: `${r.connected}/${r.members}`,
        'all by s': r.allConnectedSeconds,
        'auth p50/p99 ms': `${r.connectToAuthSuccess.p50}/${r.connectToAuthSuccess.p99}`,
        'cpu ms srv/pg/redis': `${r.cpuMs.server}/${r.cpuMs.postgres}/${r.cpuMs.redis}`,
        'updates/conn mean/p99/max': `${r.presenceUpdatesPerConnection.mean}/${r.presenceUpdatesPerConnection.p99}/${r.presenceUpdatesPerConnection.max}`,
        'unwatched/repeated': `${r.presence.aboutUnwatched}/${r.presence.repeated}`,
        'subscribe ok/timeout': r.side === 'product' ? `${r.subscribe.acked}/${r.subscribe.timedOut}` : '-',
        'see all online': r.connectionsSeeingAllWatchedOnline ?? '-',
        'cpu waited': r.machineCpuPressure,
      })),
      [
        'round',
        'side',
        'connected',
        'all by s',
        'auth p50/p99 ms',
        'cpu ms srv/pg/redis',
        'updates/conn mean/p99/max',
        'unwatched/repeated',
        'subscribe ok/timeout',
        'see all online',
        'cpu waited',
      ],
    );
    console.log('');
    printMedians(Object.keys(STORM_METRICS), medians, ratios);
    const failures = [];
    for (const r of runs) {
      if (r.connected < r.members)
        failures.push(`${r.side} round ${r.round}: ${r.members - r.connected} members got no auth:success (${r.connectFailureExamples[0]})`);
      if (r.side !== 'product') continue;
      if (r.presence.aboutUnwatched)
        failures.push(`product round ${r.round}: ${r.presence.aboutUnwatched} presence:update about members the connection does not watch`);
      if (r.presenceUpdatesPerConnection.max > targets.presenceUpdatesPerConnectionMax)
        failures.push(`product round ${r.round}: up to ${r.presenceUpdatesPerConnection.max} presence:update on one connection (watches ${config.sidebar})`);
      if (r.subscribe.acked < r.subscribe.sent)
        failures.push(
          `product round ${r.round}: ${r.subscribe.sent - r.subscribe.acked} of ${r.subscribe.sent} presence:subscribe not acked ok (${r.subscribe.timedOut} timed out)`,
        );
    }
    return {
      medians,
      ratios: { note: 'product / reference of the medians; no target, the reference keeps no presence', ...ratios },
      targets: {
        allAuthenticated: 'every member gets auth:success',
        presenceUpdatesPerConnectionMax: `<= ${targets.presenceUpdatesPerConnectionMax} (the watchers), not ${config.members - 1}`,
      },
      runs,
      failures,
      notes: [
        SUBSCRIBING,
        `One group of ${config.members} members (the product caps a group at ${config.groupMaxParticipants}, packages/shared GROUP_MAX_PARTICIPANTS, not configurable). Members start connecting in a seeded random order, evenly over ${config.stormSeconds} s (open loop); on auth:success each heartbeats and, on the product, subscribes to the presence of the ${config.sidebar} members after it in seed order, so each member has ${config.sidebar} watchers.`,
        `CPU of the storm: from the first connect until every member is connected, every subscribe acked and presence:update quiet for 1 s, and at least ${config.windowSeconds} s (the same window on both sides).`,
        'connectionsSeeingAllWatchedOnline: connections whose subscribe ack and later updates together show every watched member online at the end.',
      ],
    };
  } finally {
    await disposeInfras(states);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const wanted = (process.env.BENCH_SCENARIO ?? Object.keys(SCENARIOS).join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((s) => !SCENARIOS[s]);
  if (unknown.length || wanted.length === 0)
    throw new Error(`BENCH_SCENARIO must name some of ${Object.keys(SCENARIOS).join(', ')} (got ${unknown.join(', ') || 'nothing'})`);
  if (!(ROUNDS >= 1)) throw new Error('BENCH_ROUNDS must be at least 1');

  const watchdog = setTimeout(() => {
    console.error(`timed out after ${TIMEOUT_SECONDS} s; cleaning up`);
    void cleanup().finally(() => process.exit(1));
  }, TIMEOUT_SECONDS * 1000);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  // An error thrown outside the run's promises (a client library's event) still cleans up.
  process.once('uncaughtException', (error) => {
    console.error(error);
    void cleanup().finally(() => process.exit(1));
  });

  let failed = false;
  try {
    live.autovacuum = await autovacuumOn();
    for (const name of wanted) {
      const { run, config, targets } = SCENARIOS[name];
      console.log(`\n== presence ${name}${QUICK ? ' (quick)' : ''}`);
      const loadAverageAtStart = os.loadavg();
      const started = performance.now();
      const machine = { ...(await machineInfo()), freeMemoryGiB: round(os.freemem() / 2 ** 30, 1) };
      let result;
      try {
        result = await run(config, targets);
      } catch (error) {
        console.error(error);
        result = { failures: [`${name} did not finish: ${error?.message ?? error}`] };
      }
      reportResults(`presence-${name}${QUICK ? '-quick' : ''}`, {
        benchmark: 'presence',
        scenario: name,
        timestamp: new Date().toISOString(),
        quick: QUICK,
        machine,
        loadAverage: { atStart: loadAverageAtStart, atEnd: os.loadavg() },
        autovacuum: {
          before: live.autovacuum.before,
          duringRun: live.autovacuum.during,
          otherBenchmarkRunsAtStart: live.autovacuum.otherRunsAtStart,
          restored: 'at the end of the run, unless another benchmark run is still going (it restores then)',
        },
        config,
        // 'schedstat' (ns per thread) where the kernel keeps it, else 'ticks' (utime + stime, 10 ms).
        cpuTimeSource: CPU_TIME_SOURCE,
        totalSeconds: round((performance.now() - started) / 1000, 1),
        ...result,
        passed: result.failures.length === 0,
      });
      failed ||= result.failures.length > 0;
    }
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
  if (failed) process.exitCode = 1;
}

main().then(
  // Should anything still hold the event loop (a socket mid-close), do not hang the caller.
  () => setTimeout(() => process.exit(), 5000).unref(),
  (error) => {
    console.error(error);
    void cleanup().finally(() => process.exit(1));
  },
);
