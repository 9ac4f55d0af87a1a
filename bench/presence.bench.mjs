// Presence at scale: 10,000 connected users, each in 20 conversations (groups of 5), heartbeating
// every 15 s, with 5 % of them disconnecting and reconnecting per minute; one server node on
// PostgreSQL + Redis, real socket.io clients in this process.
//   - warm-up:   the message load alone, not compared
//   - baseline:  only the message users connected (members of the load groups), 100 messages/s
//   - heartbeats: all users connected and heartbeating, no churn, same message load
//   - churn:     all users connected and heartbeating, 5 % churn per minute, same message load
// Reports Redis commands/s (and the top commands), presence:update events/s delivered, server CPU
// and RSS, and send->receive p50/p95/p99 of the message load in each phase, with the change of p99
// against the baseline. Prints a table and saves bench/results/presence.json. There is no timing
// target; it exits non-zero only if a message is lost or duplicated, or if the sockets cannot be
// set up.
//
// Options: BENCH_QUICK=1 (1,000 users, short phases), BENCH_USERS (a multiple of 5),
// BENCH_TIMEOUT_SECONDS (hard limit; cleans up and fails after it).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import {
  createBenchInfra,
  machineInfo,
  metricsUrlOf,
  newHistogram,
  printTable,
  processStats,
  REDIS_URL,
  requireFromServer,
  reportResults,
  sleep,
  startLoadServer,
  summarize,
} from './lib/bench-kit.mjs';
import { accessToken, HEARTBEAT_MS, makeTracker, runPhase, seedGroups, seedUsers, startHeartbeats, stopHeartbeats, withDatabase } from './lib/socket-load.mjs';

const { io } = requireFromServer('socket.io-client');
const Redis = requireFromServer('ioredis');
const { Client } = requireFromServer('pg');

const QUICK = process.env.BENCH_QUICK === '1';
const GROUP_SIZE = 5;
const USERS = Math.floor(Number(process.env.BENCH_USERS ?? (QUICK ? 1000 : 10_000)) / GROUP_SIZE) * GROUP_SIZE;
if (!(USERS >= 50)) throw new Error('BENCH_USERS must be at least 50');
const CONFIG = {
  users: USERS,
  conversationsPerUser: 20,
  groupSize: GROUP_SIZE,
  groups: (USERS / GROUP_SIZE) * 20,
  // Members of these groups (the first ones of round 0, so distinct users) send and receive the
  // message load and are never churned: a churned receiver would miss messages by design.
  loadGroups: Math.max(1, Math.min(200, Math.floor(USERS / 50))),
  messageRate: 100,
  // Long enough for the JIT and the database pool to warm up, so the baseline is not the cold start.
  warmupSeconds: QUICK ? 5 : 15,
  baselineSeconds: QUICK ? 10 : 30,
  heartbeatSeconds: QUICK ? 10 : 30,
  churnSeconds: QUICK ? 15 : 90,
  churnFractionPerMinute: 0.05,
  reconnectDelaySeconds: [3, 10],
  heartbeatSecondsPeriod: HEARTBEAT_MS / 1000,
  connectConcurrency: 100,
  settleMaxSeconds: 60,
  seed: 20_261_126,
};
const TIMEOUT_SECONDS = Number(process.env.BENCH_TIMEOUT_SECONDS ?? (QUICK ? 300 : 1200));

// ---------------------------------------------------------------------------------------------
// Conversations: round 0 chunks the users in order, every other round a seeded shuffle of them,
// so each user is in exactly `conversationsPerUser` groups with varied co-members.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function groupIndexLists(n, rounds, size, seed) {
  const random = mulberry32(seed);
  const lists = [];
  for (let r = 0; r < rounds; r++) {
    const order = Array.from({ length: n }, (_, i) => i);
    if (r > 0) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    for (let i = 0; i < n; i += size) lists.push(order.slice(i, i + size));
  }
  return lists;
}

// ---------------------------------------------------------------------------------------------
// Measurements outside the server: Redis INFO, PostgreSQL's own counters, server counters.

function parseInfo(text) {
  const values = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
}

async function redisSnapshot(redis) {
  const info = parseInfo(await redis.info('all'));
  const commands = {};
  for (const [key, value] of Object.entries(info)) {
    if (!key.startsWith('cmdstat_')) continue;
    const calls = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
    const usec = Number(/usec=(\d+)/.exec(value)?.[1] ?? 0);
    commands[key.slice('cmdstat_'.length)] = { calls, usec };
  }
  return {
    at: performance.now(),
    total: Number(info.total_commands_processed),
    cpuSeconds: Number(info.used_cpu_sys) + Number(info.used_cpu_user),
    usedMemory: Number(info.used_memory),
    commands,
  };
}

function redisDelta(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const top = Object.entries(after.commands)
    .map(([command, { calls, usec }]) => {
      const was = before.commands[command] ?? { calls: 0, usec: 0 };
      const n = calls - was.calls;
      return { command, perSecond: Math.round((n / seconds) * 10) / 10, usecPerCall: n > 0 ? Math.round(((usec - was.usec) / n) * 10) / 10 : 0 };
    })
    .filter((c) => c.perSecond > 0)
    .sort((a, b) => b.perSecond - a.perSecond);
  const allCalls = top.reduce((sum, c) => sum + c.perSecond, 0);
  return {
    seconds: Math.round(seconds * 10) / 10,
    // total_commands_processed: what Redis itself counts as commands (see `commandCounting`).
    commandsPerSecond: Math.round((after.total - before.total) / seconds),
    // Sum over INFO commandstats, which also lists the commands that scripts run.
    commandstatsCallsPerSecond: Math.round(allCalls),
    cpuCores: Math.round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 1000) / 1000,
    usedMemoryMiB: Math.round((after.usedMemory / 2 ** 20) * 10) / 10,
    topCommands: top.slice(0, 10),
  };
}

/** How Redis counts: one EVAL running three commands, measured on a throw-away key. */
async function probeCommandCounting(redis) {
  const key = `bench-presence-probe-${process.pid}`;
  const total = async () => Number(parseInfo(await redis.info('stats')).total_commands_processed);
  const before = await total();
  await redis.eval("redis.call('SET', KEYS[1], '1'); redis.call('GET', KEYS[1]); redis.call('DEL', KEYS[1]); return 1", 1, key);
  const after = await total();
  // Between the two INFO calls: the first INFO itself, the EVAL, and the EVAL's three commands if counted.
  const counted = after - before;
  return { evalWithThreeCommandsCountedAs: counted - 1, note: counted - 1 >= 4 ? 'total_commands_processed includes commands run inside scripts' : 'total_commands_processed counts a script as one command' };
}

async function pgSnapshot(db) {
  const { rows } = await db.query('select xact_commit + xact_rollback as xacts, tup_returned, tup_updated from pg_stat_database where datname = current_database()');
  return { at: performance.now(), xacts: Number(rows[0].xacts), tupUpdated: Number(rows[0].tup_updated) };
}

async function serverCounters(baseUrl) {
  const text = await (await fetch(`${metricsUrlOf(baseUrl)}/metrics`)).text();
  const value = (pattern) => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    online: value('chat_presence_transitions_total\\{status="online"\\}'),
    away: value('chat_presence_transitions_total\\{status="away"\\}'),
    offline: value('chat_presence_transitions_total\\{status="offline"\\}'),
    sockets: value('chat_sockets_connected'),
    // prom-client resets these two at every scrape: they cover the time since the previous one.
    loopLagP99: value('chat_nodejs_eventloop_lag_p99_seconds'),
    loopLagMax: value('chat_nodejs_eventloop_lag_max_seconds'),
    gc: gcHistogram(text),
    socketErrors: [...text.matchAll(/^chat_socket_errors_total\{([^}]*)\} (\S+)$/gm)].map((m) => ({ labels: m[1], count: Number(m[2]) })),
  };
}

/** The server's GC pauses by kind (cumulative): count, total seconds, and how many took over 0.1 s and 1 s. */
function gcHistogram(text) {
  const kinds = {};
  for (const m of text.matchAll(/^chat_nodejs_gc_duration_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)$/gm)) {
    const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const kind = (kinds[labels.kind] ??= { count: 0, seconds: 0, upTo100ms: 0, upTo1s: 0 });
    if (m[1] === 'sum') kind.seconds = Number(m[3]);
    else if (m[1] === 'count') kind.count = Number(m[3]);
    else if (labels.le === '0.1') kind.upTo100ms = Number(m[3]);
    else if (labels.le === '1') kind.upTo1s = Number(m[3]);
  }
  return kinds;
}

function gcDelta(before, after) {
  const result = {};
  for (const [kind, a] of Object.entries(after)) {
    const b = before[kind] ?? { count: 0, seconds: 0, upTo100ms: 0, upTo1s: 0 };
    const count = a.count - b.count;
    if (count === 0) continue;
    result[kind] = { count, seconds: round(a.seconds - b.seconds, 3), over100ms: count - (a.upTo100ms - b.upTo100ms), over1s: count - (a.upTo1s - b.upTo1s) };
  }
  return result;
}

/** Machine-wide CPU from /proc/stat: everything on the box (other work included), and time stolen by the hypervisor. */
function machineCpu() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = fields;
    return { at: performance.now(), busy: user + nice + system + irq + softirq, steal, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

function machineCpuDelta(before, after) {
  if (!before || !after || after.total === before.total) return null;
  const cores = os.cpus().length;
  const share = (x) => round(((x / (after.total - before.total)) * cores), 2);
  return { busyCores: share(after.busy - before.busy), stealCores: share(after.steal - before.steal), loadAverage1m: round(os.loadavg()[0]) };
}

const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const mib = (bytes) => Math.round(bytes / 2 ** 20);

// ---------------------------------------------------------------------------------------------

async function main() {
  const infra = await createBenchInfra('presence');
  let server;
  let redis;
  let pg;
  const sockets = new Map(); // userId -> socket (connected, or connecting for the first time)
  let disposed = false;
  const cleanup = async () => {
    if (disposed) return;
    disposed = true;
    for (const socket of sockets.values()) {
      socket.intentional = true;
      stopHeartbeats(socket);
      socket.close();
    }
    await server?.stop().catch(() => undefined);
    redis?.disconnect();
    await pg?.end().catch(() => undefined);
    await infra.dispose();
  };
  const watchdog = setTimeout(() => {
    console.error(`timed out after ${TIMEOUT_SECONDS} s; cleaning up`);
    void cleanup().finally(() => process.exit(1));
  }, TIMEOUT_SECONDS * 1000);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

  // The generator's own footprint, next to the server's.
  let generatorPeakRss = process.memoryUsage().rss;
  const rssSampler = setInterval(() => (generatorPeakRss = Math.max(generatorPeakRss, process.memoryUsage().rss)), 1000);
  rssSampler.unref();
  const LOOP_RESOLUTION_MS = 10;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();
  // The generator's own GC pauses (a pause here delays every latency it measures).
  const generatorGc = { count: 0, totalMs: 0, maxMs: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      generatorGc.count++;
      generatorGc.totalMs += entry.duration;
      generatorGc.maxMs = Math.max(generatorGc.maxMs, entry.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  try {
    const startedAt = performance.now();
    server = await startLoadServer(infra, {
      // One socket per user here; the default (20) already allows it, set explicitly for clarity.
      // There is no per-IP or per-node socket cap in the server's configuration.
      MAX_SOCKETS_PER_USER: '20',
      // Heartbeat timeout, presence TTL and sweeper keep their production defaults (30 s, 30 s, 5 s).
    });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const commandCounting = await probeCommandCounting(redis);

    // Seed -------------------------------------------------------------------------------------
    const seedStart = performance.now();
    const seeded = await withDatabase(infra.databaseUrl, async (db) => {
      const { users, sessionOf } = await seedUsers(db, CONFIG.users);
      const lists = groupIndexLists(users.length, CONFIG.conversationsPerUser, CONFIG.groupSize, CONFIG.seed);
      const groupsStart = performance.now();
      const groups = await seedGroups(db, lists.map((list) => list.map((i) => users[i])));
      const groupsSeconds = (performance.now() - groupsStart) / 1000;
      await db.query('analyze');
      return { users, sessionOf, lists, groups, groupsSeconds };
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const { users, sessionOf, lists, groups } = seeded;
    const indexOf = new Map(users.map((id, i) => [id, i]));
    const contacts = users.map(() => new Set());
    for (const list of lists) for (const a of list) for (const b of list) if (a !== b) contacts[a].add(b);
    const contactCounts = contacts.map((c) => c.size);
    const avgContacts = contactCounts.reduce((a, b) => a + b, 0) / contactCounts.length;
    const loadGroups = groups.slice(0, CONFIG.loadGroups);
    const loadUsers = new Set(loadGroups.flatMap((g) => g.members));
    const churnPool = users.filter((u) => !loadUsers.has(u));
    console.log(
      `seeded ${users.length} users and ${groups.length} groups of ${CONFIG.groupSize} in ${seedSeconds.toFixed(1)} s ` +
        `(groups ${seeded.groupsSeconds.toFixed(1)} s); ${avgContacts.toFixed(1)} distinct contacts per user on average`,
    );

    // Clients ----------------------------------------------------------------------------------
    const tracker = makeTracker();
    const presence = { total: 0, online: 0, offline: 0, other: 0, toNonContacts: 0, repeated: 0, malformed: 0, unexpectedSubject: 0, examples: [] };
    let phaseSubjects = null; // users churned in the current phase; null = do not check subjects
    const offlineLatency = newHistogram();
    const onlineLatency = newHistogram();
    const wentDownAt = new Map(); // userId -> when the generator closed its socket
    const cameUpAt = new Map(); // userId -> when its socket got auth:success again
    const disconnects = { unexpected: 0, reasons: {}, errorEvents: 0 };
    const noteOdd = (kind, detail) => {
      if (presence.examples.length < 10) presence.examples.push({ kind, ...detail });
    };
    const handlers = {
      'message:received': (userId, payload) => tracker.received(userId, payload),
      'presence:update': (userId, update, socket) => {
        presence.total++;
        const subject = indexOf.get(update?.userId);
        if (update?.status === 'online') presence.online++;
        else if (update?.status === 'offline') presence.offline++;
        else {
          presence.other++;
          noteOdd('status', { update });
        }
        if (subject === undefined || (update.status === 'offline' ? 'lastActivity' in update : 'lastSeenAt' in update)) {
          presence.malformed++;
          noteOdd('malformed', { update });
        } else if (!contacts[indexOf.get(userId)].has(subject)) {
          presence.toNonContacts++;
          noteOdd('non-contact', { receiver: userId, update });
        }
        // The same status twice in a row about one user, on one socket.
        socket.presenceSeen ??= new Map();
        if (socket.presenceSeen.get(update?.userId) === update?.status) {
          presence.repeated++;
          noteOdd('repeated', { receiver: userId, update });
        }
        socket.presenceSeen.set(update?.userId, update?.status);
        if (phaseSubjects && !phaseSubjects.has(update?.userId)) {
          presence.unexpectedSubject++;
          noteOdd('not churned', { receiver: userId, update });
        }
        const now = performance.now();
        const since = update?.status === 'offline' ? wentDownAt.get(update.userId) : cameUpAt.get(update?.userId);
        if (since !== undefined) (update.status === 'offline' ? offlineLatency : onlineLatency).recordValue(Math.max(1, Math.round((now - since) * 1000)));
      },
      disconnect: (userId, reason, socket) => {
        if (socket.intentional) return;
        disconnects.unexpected++;
        disconnects.reasons[reason] = (disconnects.reasons[reason] ?? 0) + 1;
      },
      error: (userId, error) => {
        disconnects.errorEvents++;
        noteOdd('socket error event', { userId, error });
      },
    };

    /** One authenticated socket (like connectUser, with a time limit and every handler attached first). */
    const connectOne = (userId, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const socket = io(`${server.baseUrl}/chat`, {
          auth: { token: accessToken(userId, sessionOf.get(userId)) },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        for (const [event, handler] of Object.entries(handlers)) socket.on(event, (payload) => handler(userId, payload, socket));
        const settle = (error) => {
          clearTimeout(timer);
          socket.off('auth:success', onSuccess).off('auth:error', onAuthError).off('connect_error', onFailure).off('disconnect', onEarlyDisconnect);
          if (!error) return resolve(socket);
          socket.intentional = true;
          socket.close();
          reject(error);
        };
        const onSuccess = () => settle();
        const onAuthError = (e) => settle(new Error(`auth:error ${JSON.stringify(e)}`));
        const onFailure = (e) => settle(e instanceof Error ? e : new Error(String(e)));
        const onEarlyDisconnect = (reason) => settle(new Error(`disconnected before auth:success (${reason})`));
        const timer = setTimeout(() => settle(new Error('no auth:success within the time limit')), timeoutMs);
        socket.once('auth:success', onSuccess);
        socket.once('auth:error', onAuthError);
        socket.once('connect_error', onFailure);
        socket.once('disconnect', onEarlyDisconnect);
      });

    const connectMany = async (userIds) => {
      const started = performance.now();
      const failures = [];
      for (let i = 0; i < userIds.length; i += CONFIG.connectConcurrency) {
        const batch = userIds.slice(i, i + CONFIG.connectConcurrency);
        const results = await Promise.allSettled(batch.map((userId) => connectOne(userId)));
        results.forEach((result, j) => {
          if (result.status === 'rejected') {
            failures.push(`${batch[j]}: ${result.reason?.message ?? result.reason}`);
            return;
          }
          startHeartbeats(result.value);
          sockets.set(batch[j], result.value);
        });
      }
      const seconds = (performance.now() - started) / 1000;
      return { sockets: userIds.length - failures.length, failures: failures.length, failureExamples: failures.slice(0, 5), seconds: round(seconds, 1), perSecond: Math.round((userIds.length - failures.length) / seconds) };
    };

    const connectedContacts = (userId) => {
      let n = 0;
      for (const c of contacts[indexOf.get(userId)]) if (sockets.get(users[c])?.connected) n++;
      return n;
    };

    /** 5 % churn per minute over the churn pool's users: close, wait a few seconds, reconnect. */
    const startChurn = () => {
      const perSecond = (CONFIG.churnFractionPerMinute * CONFIG.users) / 60;
      const stats = { disconnects: 0, reconnects: 0, reconnectFailures: 0, failureExamples: [], expectedDeliveries: 0, reconnectHandshake: newHistogram() };
      const down = new Set();
      const pending = new Set();
      let carry = 0;
      const churnOne = () => {
        let userId;
        for (let tries = 0; tries < 50 && !userId; tries++) {
          const candidate = churnPool[Math.floor(Math.random() * churnPool.length)];
          if (!down.has(candidate) && sockets.get(candidate)?.connected) userId = candidate;
        }
        if (!userId) return;
        const socket = sockets.get(userId);
        socket.intentional = true;
        stopHeartbeats(socket);
        sockets.delete(userId);
        down.add(userId);
        phaseSubjects?.add(userId);
        cameUpAt.delete(userId);
        wentDownAt.set(userId, performance.now());
        socket.close();
        stats.disconnects++;
        stats.expectedDeliveries += connectedContacts(userId);
        const [min, max] = CONFIG.reconnectDelaySeconds;
        const back = sleep((min + Math.random() * (max - min)) * 1000)
          .then(async () => {
            if (disposed) return;
            const t0 = performance.now();
            const fresh = await connectOne(userId);
            stats.reconnectHandshake.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
            wentDownAt.delete(userId);
            cameUpAt.set(userId, performance.now());
            startHeartbeats(fresh);
            sockets.set(userId, fresh);
            stats.reconnects++;
            stats.expectedDeliveries += connectedContacts(userId);
          })
          .catch((error) => {
            stats.reconnectFailures++;
            if (stats.failureExamples.length < 5) stats.failureExamples.push(`${userId}: ${error?.message ?? error}`);
          })
          .finally(() => {
            down.delete(userId);
            pending.delete(back);
          });
        pending.add(back);
      };
      const tick = setInterval(() => {
        carry += perSecond / 10;
        for (; carry >= 1; carry--) churnOne();
      }, 100);
      return {
        stats,
        stop: () => clearInterval(tick),
        settled: () => Promise.all([...pending]),
        perMinute: perSecond * 60,
      };
    };

    pg = new Client({ connectionString: infra.databaseUrl });
    await pg.connect();

    /** One measured window around a message phase: Redis, PostgreSQL, presence and generator figures. */
    const measured = async (name, { seconds, churn = false, checkSubjects = false }) => {
      const counters = { ...presence };
      const redisBefore = await redisSnapshot(redis);
      const pgBefore = await pgSnapshot(pg);
      const serverBefore = await serverCounters(server.baseUrl);
      const cpuBefore = process.cpuUsage();
      const machineBefore = machineCpu();
      Object.assign(generatorGc, { count: 0, totalMs: 0, maxMs: 0 });
      offlineLatency.reset();
      onlineLatency.reset();
      loopDelay.reset();
      generatorPeakRss = process.memoryUsage().rss;
      const disconnectsBefore = disconnects.unexpected;
      phaseSubjects = checkSubjects ? new Set() : null;
      // Sampled often so that most of prom-client's reset windows end at one of these scrapes
      // (runPhase's own scrape every second resets them too).
      let serverLoopLagMax = 0;
      let serverLoopLagP99Max = 0;
      const lagSampler = setInterval(async () => {
        const c = await serverCounters(server.baseUrl).catch(() => undefined);
        if (!c) return;
        serverLoopLagP99Max = Math.max(serverLoopLagP99Max, c.loopLagP99);
        serverLoopLagMax = Math.max(serverLoopLagMax, c.loopLagMax);
      }, 500);
      const t0 = performance.now();
      const churner = churn ? startChurn() : null;
      const messages = await runPhase(name, { sockets, groups: loadGroups, rate: CONFIG.messageRate, seconds, tracker, baseUrl: server.baseUrl });
      churner?.stop();
      const wall = (performance.now() - t0) / 1000;
      clearInterval(lagSampler);
      const cpuAfter = process.cpuUsage(cpuBefore);
      const machineAfter = machineCpu();
      const serverAfter = await serverCounters(server.baseUrl);
      const pgAfter = await pgSnapshot(pg);
      const redisAfter = await redisSnapshot(redis);
      const window = (redisAfter.at - redisBefore.at) / 1000;
      const delivered = presence.total - counters.total;
      const result = {
        ...messages,
        connectedSockets: serverAfter.sockets,
        windowSeconds: round(window, 1),
        redis: redisDelta(redisBefore, redisAfter),
        postgres: { transactionsPerSecond: Math.round((pgAfter.xacts - pgBefore.xacts) / ((pgAfter.at - pgBefore.at) / 1000)), rowsUpdated: pgAfter.tupUpdated - pgBefore.tupUpdated },
        presence: {
          eventsDelivered: delivered,
          eventsPerSecond: Math.round(delivered / window),
          online: presence.online - counters.online,
          offline: presence.offline - counters.offline,
          otherStatus: presence.other - counters.other,
          toNonContacts: presence.toNonContacts - counters.toNonContacts,
          repeatedStatus: presence.repeated - counters.repeated,
          malformed: presence.malformed - counters.malformed,
          aboutUsersNotChurned: checkSubjects ? presence.unexpectedSubject - counters.unexpectedSubject : undefined,
          serverTransitions: { online: serverAfter.online - serverBefore.online, away: serverAfter.away - serverBefore.away, offline: serverAfter.offline - serverBefore.offline },
          serverTransitionsPerSecond: round((serverAfter.online + serverAfter.away + serverAfter.offline - serverBefore.online - serverBefore.away - serverBefore.offline) / window, 1),
          offlineToContacts: summarize(offlineLatency),
          onlineToContacts: summarize(onlineLatency),
        },
        churn: churner
          ? {
              targetPerMinute: round(churner.perMinute, 1),
              disconnects: churner.stats.disconnects,
              reconnects: churner.stats.reconnects,
              reconnectFailures: churner.stats.reconnectFailures,
              failureExamples: churner.stats.failureExamples,
              expectedPresenceDeliveries: churner.stats.expectedDeliveries,
              reconnectHandshake: summarize(churner.stats.reconnectHandshake),
            }
          : undefined,
        // Event-loop delay as prom-client reports it (whole 10 ms sampling intervals, so ~10 ms when idle).
        serverEventLoopLagP99MaxMs: round(serverLoopLagP99Max * 1000, 1),
        serverEventLoopLagMaxMs: round(serverLoopLagMax * 1000, 1),
        serverGc: gcDelta(serverBefore.gc, serverAfter.gc),
        machineCpu: machineCpuDelta(machineBefore, machineAfter),
        unexpectedDisconnects: disconnects.unexpected - disconnectsBefore,
        generator: {
          cpuCores: round((cpuAfter.user + cpuAfter.system) / 1e6 / wall),
          peakRssMiB: mib(generatorPeakRss),
          // The histogram holds whole timer intervals; the delay is what exceeds the sampling interval.
          eventLoopDelayP99Ms: round(Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS), 1),
          eventLoopDelayMaxMs: round(Math.max(0, loopDelay.max / 1e6 - LOOP_RESOLUTION_MS), 1),
          gc: { count: generatorGc.count, totalMs: Math.round(generatorGc.totalMs), maxMs: round(generatorGc.maxMs, 1) },
        },
      };
      if (churner) {
        // The users still away reconnect before anything else is measured.
        await churner.settled();
        result.churn.reconnectsAfterWindow = churner.stats.reconnects - result.churn.reconnects;
      }
      phaseSubjects = null;
      return result;
    };

    // Phase 0/1: the message users only --------------------------------------------------------
    const phases = [];
    const loadUserList = [...loadUsers];
    const firstConnect = await connectMany(loadUserList);
    if (firstConnect.failures > 0) throw new Error(`${firstConnect.failures} of the message users could not connect: ${firstConnect.failureExamples.join('; ')}`);
    console.log(`${firstConnect.sockets} message users connected in ${firstConnect.seconds} s`);
    await sleep(HEARTBEAT_MS); // every socket has sent its first heartbeat
    const warmup = await measured('warm-up', { seconds: CONFIG.warmupSeconds });
    const baseline = await measured(`baseline: ${loadUsers.size} users connected`, { seconds: CONFIG.baselineSeconds, checkSubjects: true });
    phases.push(baseline);

    // Phase 2: everyone ------------------------------------------------------------------------
    const rest = users.filter((u) => !loadUsers.has(u));
    const serverBeforeConnect = await processStats(server.baseUrl);
    const redisBeforeConnect = await redisSnapshot(redis);
    const presenceBeforeConnect = presence.total;
    const secondConnect = await connectMany(rest);
    const redisAfterConnect = await redisSnapshot(redis);
    const serverAfterConnect = await processStats(server.baseUrl);
    console.log(
      `${sockets.size} sockets connected (the last ${secondConnect.sockets} in ${secondConnect.seconds} s, ${secondConnect.perSecond}/s; ` +
        `${secondConnect.failures} failed); server RSS ${mib(serverAfterConnect.rssBytes)} MiB`,
    );
    // Settle: one heartbeat period (every new socket has beaten once), then until presence is quiet.
    const settleStart = performance.now();
    await sleep(HEARTBEAT_MS);
    for (let last = presence.total; ; ) {
      await sleep(2000);
      if (presence.total === last || (performance.now() - settleStart) / 1000 > CONFIG.settleMaxSeconds) break;
      last = presence.total;
    }
    const settleSeconds = (performance.now() - settleStart) / 1000;
    const afterSettle = await processStats(server.baseUrl);
    const connect = {
      messageUsers: firstConnect,
      others: secondConnect,
      totalSockets: sockets.size,
      totalSeconds: round(firstConnect.seconds + secondConnect.seconds, 1),
      serverCpuCoresWhileConnecting: round((serverAfterConnect.cpuSeconds - serverBeforeConnect.cpuSeconds) / secondConnect.seconds),
      redisWhileConnecting: redisDelta(redisBeforeConnect, redisAfterConnect),
      presenceEventsWhileConnecting: presence.total - presenceBeforeConnect,
      serverRssMiBAfterConnect: mib(serverAfterConnect.rssBytes),
      serverRssMiBAfterSettle: mib(afterSettle.rssBytes),
      settleSeconds: round(settleSeconds, 1),
      redisUsedMemoryMiB: { before: round(redisBeforeConnect.usedMemory / 2 ** 20, 1), after: round(redisAfterConnect.usedMemory / 2 ** 20, 1) },
      generatorRssMiB: mib(process.memoryUsage().rss),
    };
    if (secondConnect.failures > 0) console.warn(`connect failures: ${secondConnect.failureExamples.join('; ')}`);

    const heartbeats = await measured(`heartbeats: ${sockets.size} connected`, { seconds: CONFIG.heartbeatSeconds, checkSubjects: true });
    phases.push(heartbeats);
    const churn = await measured(`churn: ${sockets.size} connected, ${Math.round(CONFIG.churnFractionPerMinute * 100)}%/min`, { seconds: CONFIG.churnSeconds, churn: true, checkSubjects: true });
    phases.push(churn);
    const totalSeconds = (performance.now() - startedAt) / 1000;

    // Report -----------------------------------------------------------------------------------
    const p99Ratio = (p) => p.sendToReceive.p99 / Math.max(0.001, baseline.sendToReceive.p99);
    printTable(
      phases.map((p) => ({
        phase: p.phase,
        sockets: p.connectedSockets,
        'msgs sent': p.sent,
        lost: p.lost,
        dup: p.duplicates,
        'no ack': p.failed,
        'recv p50/p95/p99 ms': `${p.sendToReceive.p50}/${p.sendToReceive.p95}/${p.sendToReceive.p99}`,
        'p99 vs base': `x${p99Ratio(p).toFixed(2)}`,
        'srv cpu': p.cpuCores.toFixed(2),
        'srv rss MiB': p.maxRssMiB,
        'redis cmd/s': p.redis.commandsPerSecond,
        'redis cpu': p.redis.cpuCores.toFixed(2),
        'pg xact/s': p.postgres.transactionsPerSecond,
        'presence ev/s': p.presence.eventsPerSecond,
        'transitions/s': p.presence.serverTransitionsPerSecond,
        'gen cpu': p.generator.cpuCores.toFixed(2),
        'gen rss MiB': p.generator.peakRssMiB,
      })),
      ['phase', 'sockets', 'msgs sent', 'lost', 'dup', 'no ack', 'recv p50/p95/p99 ms', 'p99 vs base', 'srv cpu', 'srv rss MiB', 'redis cmd/s', 'redis cpu', 'pg xact/s', 'presence ev/s', 'transitions/s', 'gen cpu', 'gen rss MiB'],
    );
    console.log('\nTop Redis commands per second (INFO commandstats; includes commands run inside scripts):');
    printTable(
      phases.map((p) => ({ phase: p.phase, top: p.redis.topCommands.slice(0, 6).map((c) => `${c.command} ${c.perSecond}`).join(', ') })),
      ['phase', 'top'],
    );
    console.log(`(${commandCounting.note})`);
    console.log('\nStalls (a pause in either process delays the latencies above):');
    const gcText = (gc) => {
      const major = gc['major'] ?? { count: 0, seconds: 0 };
      const all = Object.values(gc);
      return `${major.count} major ${round(major.seconds, 2)} s; ${all.reduce((n, k) => n + k.over100ms, 0)} >100 ms, ${all.reduce((n, k) => n + k.over1s, 0)} >1 s`;
    };
    printTable(
      phases.map((p) => ({
        phase: p.phase,
        'srv loop lag p99/max ms': `${p.serverEventLoopLagP99MaxMs}/${p.serverEventLoopLagMaxMs}`,
        'srv gc': gcText(p.serverGc),
        'gen loop delay p99/max ms': `${p.generator.eventLoopDelayP99Ms}/${p.generator.eventLoopDelayMaxMs}`,
        'gen gc max ms': p.generator.gc.maxMs,
        'machine busy/steal cores': p.machineCpu ? `${p.machineCpu.busyCores}/${p.machineCpu.stealCores}` : '-',
        'load 1m': p.machineCpu?.loadAverage1m ?? '-',
      })),
      ['phase', 'srv loop lag p99/max ms', 'srv gc', 'gen loop delay p99/max ms', 'gen gc max ms', 'machine busy/steal cores', 'load 1m'],
    );
    const c = churn.churn;
    console.log(
      `\nconnect: ${connect.totalSockets} sockets in ${connect.totalSeconds} s (${firstConnect.sockets} message users, then ${secondConnect.sockets} at ${secondConnect.perSecond}/s, ` +
        `server ${connect.serverCpuCoresWhileConnecting} cores, ${connect.presenceEventsWhileConnecting} presence events); server RSS ${connect.serverRssMiBAfterConnect} MiB after connect, ` +
        `${connect.serverRssMiBAfterSettle} MiB after settling; Redis memory ${connect.redisUsedMemoryMiB.before} -> ${connect.redisUsedMemoryMiB.after} MiB; generator RSS ${connect.generatorRssMiB} MiB`,
    );
    console.log(
      `churn: ${c.disconnects} disconnects and ${c.reconnects} reconnects in ${churn.windowSeconds} s (target ${c.targetPerMinute}/min), ${c.reconnectFailures} reconnect failures; ` +
        `reconnect handshake p50/p99 ${c.reconnectHandshake.p50}/${c.reconnectHandshake.p99} ms`,
    );
    console.log(
      `presence during churn: ${churn.presence.eventsDelivered} presence:update delivered (${churn.presence.online} online, ${churn.presence.offline} offline; ` +
        `~${c.expectedPresenceDeliveries} expected from connected contacts at each transition); close->contacts p50/p99 ` +
        `${churn.presence.offlineToContacts.p50}/${churn.presence.offlineToContacts.p99} ms, auth:success->contacts p50/p99 ${churn.presence.onlineToContacts.p50}/${churn.presence.onlineToContacts.p99} ms`,
    );
    console.log(`effect on message send->receive p99: heartbeats only x${p99Ratio(heartbeats).toFixed(2)}, heartbeats + churn x${p99Ratio(churn).toFixed(2)} (baseline ${baseline.sendToReceive.p99} ms)`);

    const oddities = [];
    for (const p of [warmup, ...phases]) {
      const pr = p.presence;
      if (pr.otherStatus || pr.toNonContacts || pr.repeatedStatus || pr.malformed || pr.aboutUsersNotChurned)
        oddities.push(`${p.phase}: presence status other=${pr.otherStatus} non-contact=${pr.toNonContacts} repeated=${pr.repeatedStatus} malformed=${pr.malformed} not-churned=${pr.aboutUsersNotChurned ?? '-'}`);
      if (p.unexpectedDisconnects) oddities.push(`${p.phase}: ${p.unexpectedDisconnects} sockets disconnected by the server or the network`);
      if (p.failed) oddities.push(`${p.phase}: ${p.failed} messages without a positive ack`);
    }
    if (disconnects.unexpected) oddities.push(`unexpected disconnects by reason: ${JSON.stringify(disconnects.reasons)}`);
    if (disconnects.errorEvents) oddities.push(`${disconnects.errorEvents} 'error' events sent to clients`);
    if (c.reconnectFailures) oddities.push(`reconnect failures: ${c.failureExamples.join('; ')}`);
    const serverLog = server
      .output()
      .split('\n')
      .filter((line) => /"level":(4|5|6)\d/.test(line) || /\bERROR\b|\bWARN\b/.test(line));
    if (serverLog.length) oddities.push(`${serverLog.length} warning/error lines in the server output, e.g. ${serverLog.slice(0, 3).map((l) => l.slice(0, 300)).join(' | ')}`);
    const socketErrors = (await serverCounters(server.baseUrl)).socketErrors;
    if (socketErrors.length) oddities.push(`server socket errors: ${socketErrors.map((e) => `${e.labels}=${e.count}`).join(', ')}`);
    if (oddities.length) console.log(`\nworth a look:\n  ${oddities.join('\n  ')}`);

    const failures = [];
    for (const p of [warmup, ...phases]) {
      if (p.lost > 0) failures.push(`${p.phase}: ${p.lost} deliveries lost`);
      if (p.duplicates > 0) failures.push(`${p.phase}: ${p.duplicates} duplicate deliveries`);
    }
    if (secondConnect.failures > 0) failures.push(`${secondConnect.failures} sockets could not connect`);

    reportResults('presence', {
      benchmark: 'presence',
      timestamp: new Date().toISOString(),
      quick: QUICK,
      machine: await machineInfo(),
      config: CONFIG,
      seed: { seconds: round(seedSeconds, 1), groupsSeconds: round(seeded.groupsSeconds, 1), averageDistinctContacts: round(avgContacts, 1), minContacts: Math.min(...contactCounts), maxContacts: Math.max(...contactCounts) },
      redisCommandCounting: commandCounting,
      connect,
      warmup,
      phases,
      messageP99VsBaseline: { heartbeats: round(p99Ratio(heartbeats), 3), churn: round(p99Ratio(churn), 3) },
      presenceExamples: presence.examples,
      unexpectedDisconnectReasons: disconnects.reasons,
      serverWarnings: serverLog.slice(0, 20),
      oddities,
      totalSeconds: round(totalSeconds, 1),
      passed: failures.length === 0,
      failures,
      note: 'The load generator (10,000 socket.io clients) shares the 2-core machine with the server, PostgreSQL and Redis; Redis figures are instance-wide.',
    });
  } finally {
    clearInterval(rssSampler);
    loopDelay.disable();
    gcObserver.disconnect();
    await cleanup();
    clearTimeout(watchdog);
  }
}

main().then(
  // Should anything still hold the event loop (a socket mid-close), do not hang the caller.
  () => setTimeout(() => process.exit(), 5000).unref(),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
