// Socket load plumbing shared by the socket benchmarks: seeded users with sessions, groups,
// signed tokens, many real socket.io clients in this process, and an open-loop message load
// with a tracker of acks, deliveries, losses and duplicates.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createUsers, withClient } from '@chat/test-kit';
import { cpuPressureSince, newHistogram, processStats, requireFromServer, SECRETS, sleep, summarize } from './bench-kit.mjs';

const jwt = requireFromServer('jsonwebtoken');
const { io } = requireFromServer('socket.io-client');

export const HEARTBEAT_MS = 15_000;

/** Runs `run` with a client on the database `databaseUrl`. */
export const withDatabase = withClient;

/** `count` users (ordered by name) with one live session each. */
export async function seedUsers(db, count) {
  await db.query(
    `insert into users (email, password_hash, display_name)
     select 'bench-' || g || '@example.com', 'not-a-login', 'Bench ' || lpad(g::text, 6, '0') from generate_series(1, $1) g`,
    [count],
  );
  const users = (await db.query('select id from users order by display_name')).rows.map((r) => r.id);
  const sessions = (await db.query(`insert into sessions (user_id, expires_at) select id, now() + interval '1 day' from users returning id, user_id`)).rows;
  return { users, sessionOf: new Map(sessions.map((s) => [s.user_id, s.id])) };
}

/** `count` users named `<label> 000001`…, set-based, one live session each: [{ id, sessionId, name }]. */
export async function seedNamedUsers(db, label, count) {
  const users = (
    await db.query(
      `insert into users (email, password_hash, display_name)
       select lower($1) || '-' || g || '-' || $3 || '@example.com', 'not-a-login', $1 || ' ' || lpad(g::text, 6, '0')
       from generate_series(1, $2::int) g
       returning id, display_name`,
      [label, count, randomUUID().slice(0, 8)],
    )
  ).rows;
  const sessions = (
    await db.query(`insert into sessions (user_id, expires_at) select u, now() + interval '1 day' from unnest($1::uuid[]) u returning id, user_id`, [
      users.map((u) => u.id),
    ])
  ).rows;
  const sessionOf = new Map(sessions.map((s) => [s.user_id, s.id]));
  return users.map((u) => ({ id: u.id, sessionId: sessionOf.get(u.id), name: u.display_name }));
}

/** `count` users signed up through the API, one after the other, named `<label> 0`…: [{ id, token, name }]. */
export async function registerUsers(baseUrl, label, count) {
  const users = await createUsers(baseUrl, count, (i) => ({ displayName: `${label} ${i}` }));
  return users.map((u) => ({ id: u.id, token: u.token, name: u.displayName }));
}

/**
 * Groups of the given member lists, set-based (one statement for all of them).
 * Returns [{ id, members }] in the order given.
 */
export async function seedGroups(db, memberLists, titlePrefix = 'Bench') {
  const { rows } = await db.query(
    `insert into conversations (type, title, owner_id, participant_count)
     select 'group', $1 || ' ' || n, owner, size
     from unnest($2::uuid[], $3::int[]) with ordinality as g(owner, size, n)
     order by n
     returning id, title`,
    [titlePrefix, memberLists.map((m) => m[0]), memberLists.map((m) => m.length)],
  );
  const idOfTitle = new Map(rows.map((r) => [r.title, r.id]));
  const groups = memberLists.map((members, i) => ({ id: idOfTitle.get(`${titlePrefix} ${i + 1}`), members }));
  const conversationIds = groups.flatMap((g) => g.members.map(() => g.id));
  const userIds = groups.flatMap((g) => g.members);
  await db.query(
    `insert into conversation_participants (conversation_id, user_id, role)
     select c, u, 'member' from unnest($1::uuid[], $2::uuid[]) as m(c, u)`,
    [conversationIds, userIds],
  );
  return groups;
}

/** `count` users and `groups` groups of `size` consecutive users (wrapping around), for a message load. */
export async function seedUsersInGroups(databaseUrl, { users: count, groups, groupSize }) {
  return withDatabase(databaseUrl, async (db) => {
    const { users, sessionOf } = await seedUsers(db, count);
    const memberLists = Array.from({ length: groups }, (_, g) => Array.from({ length: groupSize }, (_, i) => users[(g * groupSize + i) % users.length]));
    return { users, sessionOf, groups: await seedGroups(db, memberLists) };
  });
}

export function accessToken(userId, sessionId) {
  return jwt.sign({ sid: sessionId, typ: 'access' }, SECRETS.JWT_ACCESS_SECRET, { algorithm: 'HS256', subject: userId, jwtid: randomUUID(), expiresIn: 3600 });
}

/**
 * One authenticated socket; resolves once the server said auth:success. `token` replaces the
 * product's signed token (the reference server's are opaque); `reconnect` lets socket.io
 * reconnect as a real client does, with the same handshake.
 */
export function connectUser(baseUrl, userId, sessionId, listeners = {}, { token, reconnect = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl}/chat`, {
      auth: { token: token ?? accessToken(userId, sessionId) },
      transports: ['websocket'],
      reconnection: reconnect,
      forceNew: true,
    });
    for (const [event, listener] of Object.entries(listeners)) socket.on(event, (payload) => listener(userId, payload));
    socket.once('auth:success', () => resolve(socket));
    socket.once('auth:error', (e) => reject(new Error(JSON.stringify(e))));
    socket.once('connect_error', reject);
  });
}

/** A user's access token: the one the API gave it, else one signed for its seeded session. */
export const tokenOf = (user) => user.token ?? accessToken(user.id, user.sessionId);

/**
 * A user (`{ id, token }` or `{ id, sessionId }`) on a socket as the web client is: heartbeating
 * from connect and, given a presenceWatcher, watching its contacts' presence.
 */
export async function connectMember(baseUrl, user, listeners = {}, watch = undefined) {
  const socket = await connectUser(baseUrl, user.id, user.sessionId, listeners, { token: tokenOf(user) });
  startHeartbeats(socket, { fromConnect: true });
  if (watch) await watch.subscribe(socket, user.id);
  return socket;
}

/**
 * Heartbeats as real clients send them: every 15 s, the first one at a random point of the period,
 * or at once with `fromConnect` (as the web client does when its socket comes up).
 */
export function startHeartbeats(socket, { fromConnect = false } = {}) {
  const beat = () => socket.emit('presence:heartbeat', { status: 'online' });
  socket.heartbeatStart = setTimeout(
    () => {
      beat();
      socket.heartbeat = setInterval(beat, HEARTBEAT_MS);
    },
    fromConnect ? 0 : Math.random() * HEARTBEAT_MS,
  );
}

export function stopHeartbeats(socket) {
  clearTimeout(socket.heartbeatStart);
  clearInterval(socket.heartbeat);
}

/**
 * Connects every user (100 handshakes at a time), heartbeating; returns userId -> socket.
 * `options`: `reconnect` and `heartbeatFromConnect` (see connectUser and startHeartbeats), and
 * `presenceWatch` (see presenceWatcher): each socket then watches its contacts' presence after
 * every auth:success, as the web client does; the first answers are awaited. A
 * `seeded.tokenOf(userId)` supplies tokens other than the product's.
 */
export async function connectAll(baseUrl, seeded, userIds, listeners = {}, { reconnect = false, heartbeatFromConnect = false, presenceWatch } = {}) {
  const sockets = new Map();
  const watching = [];
  for (let i = 0; i < userIds.length; i += 100) {
    const batch = userIds.slice(i, i + 100);
    const connected = await Promise.all(
      batch.map((userId) => connectUser(baseUrl, userId, seeded.sessionOf?.get(userId), listeners, { token: seeded.tokenOf?.(userId), reconnect })),
    );
    connected.forEach((socket, j) => {
      startHeartbeats(socket, { fromConnect: heartbeatFromConnect });
      sockets.set(batch[j], socket);
      if (presenceWatch) {
        watching.push(presenceWatch.subscribe(socket, batch[j]));
        // A reconnected socket is a new one to the server: it asks again.
        socket.on('auth:success', () => void presenceWatch.subscribe(socket, batch[j]));
      }
    });
  }
  await Promise.all(watching);
  return sockets;
}

/** The protocol's PRESENCE_WATCH_MAX: how many users one socket may watch. */
const PRESENCE_WATCH_MAX = 500;

/**
 * `presence:subscribe { userIds }` for each user's contacts (everyone they share a group with, at
 * most PRESENCE_WATCH_MAX), as a client showing those conversations sends it. Counts the answers:
 * a server without the event never answers, which is reported, not fatal.
 */
export function presenceWatcher(groups) {
  const contacts = new Map();
  for (const group of groups) {
    for (const member of group.members) {
      const mine = contacts.get(member) ?? new Set();
      for (const other of group.members) if (other !== member) mine.add(other);
      contacts.set(member, mine);
    }
  }
  const stats = { sent: 0, ok: 0, refused: 0, unanswered: 0, codes: {} };
  return {
    subscribe(socket, userId) {
      const userIds = [...(contacts.get(userId) ?? [])].slice(0, PRESENCE_WATCH_MAX);
      if (userIds.length === 0) return Promise.resolve();
      stats.sent++;
      return new Promise((resolve) => {
        socket.timeout(10_000).emit('presence:subscribe', { userIds }, (err, ack) => {
          if (err) stats.unanswered++;
          else if (ack?.ok) stats.ok++;
          else {
            stats.refused++;
            stats.codes[ack?.code] = (stats.codes[ack?.code] ?? 0) + 1;
          }
          resolve();
        });
      });
    },
    stats: () => ({ ...stats, codes: { ...stats.codes } }),
  };
}

/**
 * Who sends next: every member of every group once per cycle, in a shuffled order, so each user
 * sends at one steady pace (like a person typing) instead of a random one that now and then
 * bursts past the per-user message limit.
 */
export function senderSchedule(groups) {
  const turns = groups.flatMap((group) => group.members.map((member) => ({ group, member })));
  for (let i = turns.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [turns[i], turns[j]] = [turns[j], turns[i]];
  }
  let next = 0;
  return { next: () => turns[next++ % turns.length] };
}

export function closeAll(sockets) {
  for (const socket of sockets.values()) {
    stopHeartbeats(socket);
    socket.close();
  }
}

/**
 * Counts sends, acks, deliveries, losses and duplicates of one phase at a time.
 * Wire `received` to every socket's message:received.
 */
export function makeTracker() {
  let phase;
  const tracker = {
    begin(name) {
      phase = {
        name,
        sent: 0,
        acked: 0,
        failed: 0,
        failedReasons: {},
        pending: new Map(),
        ack: newHistogram(),
        receive: newHistogram(),
        received: 0,
        duplicates: 0,
        seen: new Set(),
      };
      // Worst delivery per second of the phase (by send time): tells a steady slowdown from stalls.
      phase.started = performance.now();
      phase.worstBySecond = [];
    },
    send(socket, group) {
      const clientMessageId = randomUUID();
      const t0 = performance.now();
      phase.sent++;
      phase.pending.set(clientMessageId, { t0, expected: group.members.length - 1, got: 0 });
      socket.timeout(10_000).emit('message:send', { conversationId: group.id, content: `load ${phase.sent}`, clientMessageId }, (err, ack) => {
        if (err || !ack?.ok) {
          phase.failed++;
          const reason = err ? 'no ack in 10 s' : (ack?.code ?? 'not ok');
          phase.failedReasons[reason] = (phase.failedReasons[reason] ?? 0) + 1;
          phase.pending.delete(clientMessageId);
          return;
        }
        phase.acked++;
        const entry = phase.pending.get(clientMessageId);
        if (entry) entry.acked = true;
        phase.ack.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      });
    },
    received(userId, { message }) {
      const entry = phase?.pending.get(message.clientMessageId);
      if (!entry) return;
      const key = `${userId}|${message.id}`;
      if (phase.seen.has(key)) {
        phase.duplicates++;
        return;
      }
      phase.seen.add(key);
      entry.got++;
      phase.received++;
      const latency = performance.now() - entry.t0;
      phase.receive.recordValue(Math.max(1, Math.round(latency * 1000)));
      const second = Math.floor((entry.t0 - phase.started) / 1000);
      phase.worstBySecond[second] = Math.max(phase.worstBySecond[second] ?? 0, latency);
    },
    /** Sends still waiting for their ack or for some of their deliveries. */
    outstanding() {
      let count = 0;
      for (const entry of phase.pending.values()) if (!entry.acked || entry.got < entry.expected) count++;
      return count;
    },
    end(stats) {
      // Lost: an acknowledged message that some participant never received.
      let lost = 0;
      for (const entry of phase.pending.values()) if (entry.acked) lost += Math.max(0, entry.expected - entry.got);
      return {
        phase: phase.name,
        sent: phase.sent,
        acked: phase.acked,
        failed: phase.failed,
        failedReasons: phase.failedReasons,
        received: phase.received,
        lost,
        duplicates: phase.duplicates,
        sendToAck: summarize(phase.ack),
        sendToReceive: summarize(phase.receive),
        slowestSeconds: phase.worstBySecond
          .map((ms, second) => ({ second, maxMs: Math.round(ms * 10) / 10 }))
          .sort((a, b) => b.maxMs - a.maxMs)
          .slice(0, 5),
        ...stats,
      };
    },
  };
  return tracker;
}

function randomSender(groups) {
  const group = groups[Math.floor(Math.random() * groups.length)];
  return { group, member: group.members[Math.floor(Math.random() * group.members.length)] };
}

/**
 * Open-loop load for `seconds`: `rate` messages/s from the `senders` schedule (see senderSchedule;
 * default: random members of random `groups`) and,
 * optionally, `readRate` receipt:read/s from `readers` (see read-load.mjs), whose figures join the phase's.
 * `sockets` maps userId -> socket. Reports server CPU (cores) and peak RSS over the phase, from
 * `stats` (default: the product's /metrics; see procStats for a server without it). After the sends
 * it waits `graceMs` for the last deliveries or, with `settle`, until every send is acked (or timed
 * out) and delivered, at most `graceMs`.
 */
export async function runPhase(
  name,
  { sockets, groups, senders, rate, seconds, readRate = 0, readers, tracker, baseUrl, graceMs = 3000, settle = false, stats = () => processStats(baseUrl) },
) {
  tracker.begin(name);
  const cpuPressure = cpuPressureSince();
  if (readRate > 0) await readers.start(readRate);
  const statsBefore = await stats();
  const started = performance.now();
  // The generator's own load, so a reader can tell a slow server from a busy load generator.
  const eluBefore = performance.eventLoopUtilization();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let scheduled = 0;
  let unsent = 0; // due while the sender's socket was down (reconnecting)
  let maxRss = statsBefore.rssBytes;
  // The server's loop-lag p99 covers the time since the previous scrape: keep the worst second.
  let worstLag = 0;
  const rssTimer = setInterval(async () => {
    const now = await stats().catch(() => undefined);
    if (now) maxRss = Math.max(maxRss, now.rssBytes);
    if (now && performance.now() - started < seconds * 1000) worstLag = Math.max(worstLag, now.eventLoopLagP99Seconds);
  }, 1000);
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const elapsed = Math.min(seconds, (performance.now() - started) / 1000);
      // Open loop on the clock: a tick that comes late (a busy generator) catches up, so both
      // servers of a comparison get the same number of messages (rate × seconds, the last ones included).
      for (const due = Math.floor(rate * elapsed); scheduled < due; scheduled++) {
        const { group, member: sender } = senders?.next() ?? randomSender(groups);
        const socket = sockets.get(sender);
        if (socket?.connected) tracker.send(socket, group);
        else unsent++;
      }
      if (elapsed >= seconds) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  const wall = (performance.now() - started) / 1000;
  const reads = readRate > 0 ? await readers.stop() : undefined;
  // The last deliveries.
  if (settle) for (const deadline = performance.now() + graceMs; tracker.outstanding() > 0 && performance.now() < deadline;) await sleep(50);
  else await sleep(graceMs);
  clearInterval(rssTimer);
  loopDelay.disable();
  const statsAfter = await stats();
  const measured = (performance.now() - started) / 1000;
  return tracker.end({
    seconds: Math.round(wall * 10) / 10,
    unsent,
    generator: {
      eventLoopUtilization: Math.round(performance.eventLoopUtilization(eluBefore).utilization * 100) / 100,
      eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
    },
    serverWorstSecondLoopLagP99Ms: Math.round(worstLag * 1e5) / 100,
    machineCpuPressure: cpuPressure(),
    cpuCores: (statsAfter.cpuSeconds - statsBefore.cpuSeconds) / measured,
    maxRssMiB: Math.round(maxRss / 2 ** 20),
    ...reads,
  });
}
