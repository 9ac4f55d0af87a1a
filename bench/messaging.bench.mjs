// Message latency under load: real socket.io clients against one server node on PostgreSQL + Redis.
//   - steady: 2,000 connected users, 400 conversations of 5, 500 messages/s for 60 s
//   - ramp: the highest rate at which send->receive p99 stays under 100 ms
//   - receipts: groups of 50, 500 messages/s, without and then with 2,000 reads/s
// Prints a table and saves bench/results/messaging.json. Exits non-zero if a message is lost or
// duplicated, or the steady run misses the spec (p50 < 100 ms, p95 < 500 ms, p99 < 1 s).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  createBenchInfra,
  machineInfo,
  newHistogram,
  printTable,
  processStats,
  REDIS_URL,
  requireFromServer,
  SECRETS,
  saveResults,
  sleep,
  startServer,
  summarize,
} from './lib/bench-kit.mjs';

const jwt = requireFromServer('jsonwebtoken');
const { io } = requireFromServer('socket.io-client');
const { Client } = requireFromServer('pg');

const QUICK = process.env.BENCH_QUICK === '1';
const CONFIG = {
  users: 2000,
  smallGroups: 400,
  smallGroupSize: 5,
  bigGroups: 40,
  bigGroupSize: 50,
  steadyRate: 500,
  steadySeconds: QUICK ? 10 : 60,
  rampRates: QUICK ? [500, 1000] : [250, 500, 1000, 1500, 2000, 3000],
  rampSeconds: QUICK ? 5 : 15,
  receiptRate: 2000,
  receiptSeconds: QUICK ? 8 : 30,
  rampP99TargetMs: 100,
};

async function seed(databaseUrl) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`insert into users (email, password_hash, display_name)
      select 'bench-' || g || '@example.com', 'not-a-login', 'Bench ' || g from generate_series(1, $1) g`, [CONFIG.users]);
    const users = (await db.query('select id from users order by display_name')).rows.map((r) => r.id);
    const sessions = (
      await db.query(`insert into sessions (user_id, expires_at) select id, now() + interval '1 day' from users returning id, user_id`)
    ).rows;
    const sessionOf = new Map(sessions.map((s) => [s.user_id, s.id]));
    const makeGroups = async (count, size, offset) => {
      const groups = [];
      for (let g = 0; g < count; g++) {
        const members = Array.from({ length: size }, (_, i) => users[(offset + g * size + i) % users.length]);
        const { rows } = await db.query(`insert into conversations (type, title, owner_id, participant_count) values ('group', $1, $2, $3) returning id`, [
          `Bench ${size}-${g}`,
          members[0],
          size,
        ]);
        await db.query(`insert into conversation_participants (conversation_id, user_id, role) select $1, unnest($2::uuid[]), 'member'`, [rows[0].id, members]);
        groups.push({ id: rows[0].id, members });
      }
      return groups;
    };
    const small = await makeGroups(CONFIG.smallGroups, CONFIG.smallGroupSize, 0);
    const big = await makeGroups(CONFIG.bigGroups, CONFIG.bigGroupSize, 0);
    return { users, sessionOf, small, big };
  } finally {
    await db.end();
  }
}

function token(userId, sessionId) {
  return jwt.sign({ sid: sessionId, typ: 'access' }, SECRETS.JWT_ACCESS_SECRET, { algorithm: 'HS256', subject: userId, jwtid: randomUUID(), expiresIn: 3600 });
}

/** One socket per user; every socket records receive latency of messages it gets. */
async function connectAll(baseUrl, seeded, onReceived) {
  const sockets = new Map();
  const users = seeded.users;
  for (let i = 0; i < users.length; i += 100) {
    await Promise.all(
      users.slice(i, i + 100).map(
        (userId) =>
          new Promise((resolve, reject) => {
            const socket = io(`${baseUrl}/chat`, { auth: { token: token(userId, seeded.sessionOf.get(userId)) }, transports: ['websocket'], reconnection: false, forceNew: true });
            socket.once('auth:success', () => resolve());
            socket.once('auth:error', (e) => reject(new Error(JSON.stringify(e))));
            socket.once('connect_error', reject);
            socket.on('message:received', ({ message }) => onReceived(userId, message));
            sockets.set(userId, socket);
          }),
      ),
    );
  }
  // Heartbeats as real clients send them (every 15 s), spread out.
  const beats = [...sockets.values()].map((socket, i) => {
    const start = setTimeout(() => {
      socket.emit('presence:heartbeat', { status: 'online' });
      socket.beat = setInterval(() => socket.emit('presence:heartbeat', { status: 'online' }), 15_000);
    }, (i * 15_000) / sockets.size);
    return start;
  });
  return { sockets, close: () => { beats.forEach(clearTimeout); for (const s of sockets.values()) { clearInterval(s.beat); s.close(); } } };
}

/** Open-loop load: `rate` messages/s into `groups` (and `readRate` receipt reads/s) for `seconds`. */
async function runPhase(name, { sockets, groups, rate, seconds, readRate = 0, tracker, baseUrl }) {
  tracker.begin(name);
  const statsBefore = await processStats(baseUrl);
  const started = performance.now();
  let carry = 0;
  let readCarry = 0;
  let maxRss = statsBefore.rssBytes;
  const rssTimer = setInterval(async () => {
    const stats = await processStats(baseUrl).catch(() => undefined);
    if (stats) maxRss = Math.max(maxRss, stats.rssBytes);
  }, 1000);
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= seconds) {
        clearInterval(tick);
        resolve();
        return;
      }
      carry += rate / 100;
      for (; carry >= 1; carry--) {
        const group = groups[Math.floor(Math.random() * groups.length)];
        const sender = group.members[Math.floor(Math.random() * group.members.length)];
        tracker.send(sockets.get(sender), group, sender);
      }
      readCarry += readRate / 100;
      for (; readCarry >= 1; readCarry--) {
        const group = groups[Math.floor(Math.random() * groups.length)];
        const latest = tracker.latestIn(group.id);
        if (!latest) continue;
        const reader = group.members[Math.floor(Math.random() * group.members.length)];
        sockets.get(reader).emit('receipt:read', { conversationId: group.id, messageId: latest }, () => undefined);
        tracker.reads++;
      }
    }, 10);
  });
  const wall = (performance.now() - started) / 1000;
  await sleep(3000); // grace for the last deliveries
  clearInterval(rssTimer);
  const statsAfter = await processStats(baseUrl);
  return tracker.end({ cpuCores: (statsAfter.cpuSeconds - statsBefore.cpuSeconds) / (wall + 3), maxRssMiB: Math.round(maxRss / 2 ** 20) });
}

function makeTracker() {
  let phase;
  const latest = new Map();
  const tracker = {
    reads: 0,
    begin(name) {
      phase = { name, sent: 0, acked: 0, failed: 0, pending: new Map(), ack: newHistogram(), receive: newHistogram(), received: 0, duplicates: 0, seen: new Map() };
      tracker.reads = 0;
    },
    send(socket, group, sender) {
      const clientMessageId = randomUUID();
      const t0 = performance.now();
      phase.sent++;
      phase.pending.set(clientMessageId, { t0, expected: group.members.length - 1, got: 0 });
      socket.timeout(10_000).emit('message:send', { conversationId: group.id, content: `load ${phase.sent}`, clientMessageId }, (err, ack) => {
        if (err || !ack?.ok) {
          phase.failed++;
          phase.pending.delete(clientMessageId);
          return;
        }
        phase.acked++;
        const entry = phase.pending.get(clientMessageId);
        if (entry) entry.acked = true;
        phase.ack.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        latest.set(group.id, ack.messageId);
      });
      void sender;
    },
    received(userId, message) {
      const entry = phase?.pending.get(message.clientMessageId);
      if (!entry) return;
      const key = `${userId}|${message.id}`;
      if (phase.seen.has(key)) {
        phase.duplicates++;
        return;
      }
      phase.seen.set(key, true);
      entry.got++;
      phase.received++;
      phase.receive.recordValue(Math.max(1, Math.round((performance.now() - entry.t0) * 1000)));
    },
    latestIn: (conversationId) => latest.get(conversationId),
    end(stats) {
      // Lost: an acknowledged message that some participant never received.
      let lost = 0;
      for (const entry of phase.pending.values()) if (entry.acked) lost += Math.max(0, entry.expected - entry.got);
      return {
        phase: phase.name,
        sent: phase.sent,
        acked: phase.acked,
        failed: phase.failed,
        received: phase.received,
        lost,
        duplicates: phase.duplicates,
        reads: tracker.reads,
        sendToAck: summarize(phase.ack),
        sendToReceive: summarize(phase.receive),
        ...stats,
      };
    },
  };
  return tracker;
}

async function main() {
  const infra = await createBenchInfra('messaging');
  let server;
  let clients;
  try {
    server = await startServer({
      DATABASE_URL: infra.databaseUrl,
      REDIS_URL,
      REDIS_KEY_PREFIX: infra.redisPrefix,
      DATA_DIR: infra.dataDir,
      // The load spreads up to 3,000 messages/s over 2,000 users; the per-user limit is not under test.
      MESSAGE_RATE_LIMIT: '1000000',
      RECEIPT_FLUSH_INTERVAL_MS: '10000',
    });
    const seeded = await seed(infra.databaseUrl);
    const tracker = makeTracker();
    const connectStart = performance.now();
    clients = await connectAll(server.baseUrl, seeded, (userId, message) => tracker.received(userId, message));
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const afterConnect = await processStats(server.baseUrl);
    console.log(`${clients.sockets.size} sockets connected in ${connectSeconds.toFixed(1)} s; server RSS ${Math.round(afterConnect.rssBytes / 2 ** 20)} MiB`);

    const common = { sockets: clients.sockets, tracker, baseUrl: server.baseUrl };
    const phases = [];
    phases.push(await runPhase(`steady ${CONFIG.steadyRate}/s, groups of ${CONFIG.smallGroupSize}`, { ...common, groups: seeded.small, rate: CONFIG.steadyRate, seconds: CONFIG.steadySeconds }));
    let highestUnderTarget = 0;
    for (const rate of CONFIG.rampRates) {
      const result = await runPhase(`ramp ${rate}/s`, { ...common, groups: seeded.small, rate, seconds: CONFIG.rampSeconds });
      phases.push(result);
      if (result.sendToReceive.p99 < CONFIG.rampP99TargetMs && result.lost === 0 && result.failed === 0) highestUnderTarget = rate;
      else break;
    }
    const withoutReceipts = await runPhase(`groups of ${CONFIG.bigGroupSize}, ${CONFIG.steadyRate}/s, no receipts`, { ...common, groups: seeded.big, rate: CONFIG.steadyRate, seconds: CONFIG.receiptSeconds });
    const withReceipts = await runPhase(`groups of ${CONFIG.bigGroupSize}, ${CONFIG.steadyRate}/s + ${CONFIG.receiptRate} reads/s`, {
      ...common,
      groups: seeded.big,
      rate: CONFIG.steadyRate,
      readRate: CONFIG.receiptRate,
      seconds: CONFIG.receiptSeconds,
    });
    phases.push(withoutReceipts, withReceipts);

    printTable(
      phases.map((p) => ({
        phase: p.phase,
        sent: p.sent,
        acked: p.acked,
        'no ack': p.failed,
        lost: p.lost,
        dup: p.duplicates,
        reads: p.reads,
        'ack p50/p95/p99/max ms': `${p.sendToAck.p50}/${p.sendToAck.p95}/${p.sendToAck.p99}/${p.sendToAck.max}`,
        'recv p50/p95/p99/max ms': `${p.sendToReceive.p50}/${p.sendToReceive.p95}/${p.sendToReceive.p99}/${p.sendToReceive.max}`,
        'cpu cores': p.cpuCores.toFixed(2),
        'rss MiB': p.maxRssMiB,
      })),
      ['phase', 'sent', 'acked', 'no ack', 'lost', 'dup', 'reads', 'ack p50/p95/p99/max ms', 'recv p50/p95/p99/max ms', 'cpu cores', 'rss MiB'],
    );
    const steady = phases[0];
    const receiptEffect = withReceipts.sendToReceive.p99 / Math.max(0.001, withoutReceipts.sendToReceive.p99) - 1;
    console.log(`\nhighest rate with send->receive p99 < ${CONFIG.rampP99TargetMs} ms: ${highestUnderTarget}/s`);
    console.log(`receipts effect on send->receive p99: ${(receiptEffect * 100).toFixed(1)}% (target: within 20%)`);

    const failures = [];
    for (const p of phases) {
      if (p.lost > 0) failures.push(`${p.phase}: ${p.lost} deliveries lost`);
      if (p.duplicates > 0) failures.push(`${p.phase}: ${p.duplicates} duplicates`);
    }
    if (!(steady.sendToReceive.p50 < 100 && steady.sendToReceive.p95 < 500 && steady.sendToReceive.p99 < 1000)) failures.push('steady run misses the spec (p50 < 100, p95 < 500, p99 < 1000 ms)');
    if (receiptEffect > 0.2) failures.push(`receipt traffic moved p99 by ${(receiptEffect * 100).toFixed(1)}% (> 20%)`);

    const file = saveResults('messaging', {
      benchmark: 'messaging',
      timestamp: new Date().toISOString(),
      quick: QUICK,
      machine: await machineInfo(),
      config: CONFIG,
      connect: { sockets: clients.sockets.size, seconds: connectSeconds, serverRssMiB: Math.round(afterConnect.rssBytes / 2 ** 20) },
      phases,
      highestRateUnderP99TargetPerSecond: highestUnderTarget,
      receiptEffectOnP99: receiptEffect,
      passed: failures.length === 0,
      failures,
      note: 'Load generator and server share the same 2-core machine; figures include the generator competing for CPU.',
    });
    console.log(`saved ${file}`);
    if (failures.length > 0) {
      console.error(`FAILED:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    }
  } finally {
    clients?.close();
    await server?.stop();
    await infra.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
