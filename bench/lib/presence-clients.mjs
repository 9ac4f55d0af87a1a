// Socket.io clients that behave like the web client for presence: heartbeat every 15 s from
// connect (counted), subscribe to the presence of a sidebar of users on auth:success, and keep what
// they learn (the subscribe ack's presences, then presence:update). Every presence:update is checked:
// it must be about a watched user and change that user's status.
import { performance } from 'node:perf_hooks';
import { requireFromServer } from './bench-kit.mjs';
import { accessToken, HEARTBEAT_MS } from './socket-load.mjs';

const { io } = requireFromServer('socket.io-client');

/** The sidebar of user `i` of `users`: the `size` users after it, wrapping around. */
export function neighbours(users, size) {
  const indexOf = new Map(users.map((id, i) => [id, i]));
  return (userId) => {
    const i = indexOf.get(userId);
    return Array.from({ length: Math.min(size, users.length - 1) }, (_, k) => users[(i + 1 + k) % users.length]);
  };
}

const bump = (counts, key) => (counts[key] = (counts[key] ?? 0) + 1);
const round1 = (x) => Math.round(x * 10) / 10;

/**
 * A fleet of clients for one server. `seeded`: { sessionOf } (product: signed tokens) or
 * { tokenOf } (reference). `watchOf(userId)`: the ids a client subscribes to; without it (or with
 * `subscribe: false`, for a server that keeps no presence) clients do not subscribe.
 * `ackTimeoutMs` bounds the wait for a subscribe ack (no ack counts as timed out, 0 presences).
 * `listeners`: more events, as `listener(userId, payload)` (e.g. a message tracker's).
 */
export function createPresenceFleet(baseUrl, seeded, { watchOf, subscribe = true, ackTimeoutMs = 5000, heartbeatFromConnect = true, listeners = {} } = {}) {
  const sockets = new Map();
  const stats = {
    heartbeatsSent: 0,
    connectFailures: 0,
    connectFailureExamples: [],
    disconnects: { unexpected: 0, reasons: {} },
    subscribe: { sent: 0, acked: 0, rejected: {}, timedOut: 0, presencesReturned: 0, activeReturned: 0, firstRejection: null },
    presence: { updates: 0, byStatus: {}, aboutUnwatched: 0, repeated: 0, repeatsAck: 0, malformed: 0, examples: [] },
    subscribeAck: [], // ms from subscribe to its ack
  };
  const pendingAcks = new Set();
  const noteOdd = (kind, detail) => {
    if (stats.presence.examples.length < 10) stats.presence.examples.push({ kind, ...detail });
  };

  const onPresence = (socket, update) => {
    const p = stats.presence;
    p.updates++;
    socket.presenceUpdates++;
    bump(p.byStatus, String(update?.status));
    if (typeof update?.userId !== 'string' || !['online', 'away', 'offline'].includes(update.status)) {
      p.malformed++;
      noteOdd('malformed', { update });
      return;
    }
    if (!socket.watching.has(update.userId)) {
      p.aboutUnwatched++;
      noteOdd('about a user not watched', { receiver: socket.userId, update });
    }
    if (socket.lastUpdate.get(update.userId) === update.status) {
      p.repeated++;
      noteOdd('same status twice', { receiver: socket.userId, update });
    } else if (!socket.lastUpdate.has(update.userId) && socket.fromAck.get(update.userId) === update.status) {
      // The transition raced the subscribe: harmless, but an emit the client did not need.
      p.repeatsAck++;
    }
    socket.lastUpdate.set(update.userId, update.status);
    socket.known.set(update.userId, update.status);
  };

  const subscribeTo = (socket) => {
    const userIds = watchOf(socket.userId);
    const t0 = performance.now();
    stats.subscribe.sent++;
    const done = new Promise((resolve) => {
      socket.timeout(ackTimeoutMs).emit('presence:subscribe', { userIds }, (error, ack) => {
        if (error) stats.subscribe.timedOut++;
        else if (!ack?.ok) {
          bump(stats.subscribe.rejected, ack?.code ?? 'no code');
          stats.subscribe.firstRejection ??= ack;
        } else {
          stats.subscribe.acked++;
          stats.subscribeAck.push(performance.now() - t0);
          for (const presence of ack.presences ?? []) {
            stats.subscribe.presencesReturned++;
            if (presence.status !== 'offline') stats.subscribe.activeReturned++;
            // An update that came before the ack is newer than the snapshot the ack holds.
            socket.fromAck.set(presence.userId, presence.status);
            if (!socket.lastUpdate.has(presence.userId)) socket.known.set(presence.userId, presence.status);
          }
        }
        resolve();
      });
    });
    pendingAcks.add(done);
    void done.then(() => pendingAcks.delete(done));
  };

  const startHeartbeats = (socket) => {
    const beat = () => {
      if (!socket.connected) return;
      stats.heartbeatsSent++;
      socket.emit('presence:heartbeat', { status: 'online' });
    };
    socket.heartbeatStart = setTimeout(
      () => {
        beat();
        socket.heartbeat = setInterval(beat, HEARTBEAT_MS);
      },
      heartbeatFromConnect ? 0 : Math.random() * HEARTBEAT_MS,
    );
  };

  /** One client; resolves with the ms from its start to auth:success, rejects on failure or after `timeoutMs`. */
  const connect = (userId, { timeoutMs = 30_000 } = {}) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const socket = io(`${baseUrl}/chat`, {
        auth: { token: seeded.tokenOf ? seeded.tokenOf(userId) : accessToken(userId, seeded.sessionOf.get(userId)) },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      socket.userId = userId;
      socket.watching = new Set(subscribe && watchOf ? watchOf(userId) : []);
      socket.known = new Map(); // userId -> last status learnt (ack or update)
      socket.lastUpdate = new Map();
      socket.fromAck = new Map();
      socket.presenceUpdates = 0;
      socket.on('presence:update', (update) => onPresence(socket, update));
      for (const [event, listener] of Object.entries(listeners)) socket.on(event, (payload) => listener(userId, payload));
      socket.on('disconnect', (reason) => {
        if (socket.intentional || !socket.authenticated) return;
        stats.disconnects.unexpected++;
        bump(stats.disconnects.reasons, reason);
      });
      const settle = (error) => {
        clearTimeout(timer);
        socket.off('auth:success', onSuccess).off('auth:error', onAuthError).off('connect_error', onFailure).off('disconnect', onEarlyDisconnect);
        if (!error) return;
        socket.intentional = true;
        socket.close();
        stats.connectFailures++;
        if (stats.connectFailureExamples.length < 5) stats.connectFailureExamples.push(`${userId}: ${error.message}`);
        reject(error);
      };
      const onSuccess = () => {
        const ms = performance.now() - t0;
        settle();
        socket.authenticated = true;
        socket.authenticatedAt = performance.now();
        sockets.set(userId, socket);
        startHeartbeats(socket);
        if (subscribe && watchOf) subscribeTo(socket);
        resolve(ms);
      };
      const onAuthError = (e) => settle(new Error(`auth:error ${JSON.stringify(e)}`));
      const onFailure = (e) => settle(e instanceof Error ? e : new Error(String(e)));
      const onEarlyDisconnect = (reason) => settle(new Error(`disconnected before auth:success (${reason})`));
      const timer = setTimeout(() => settle(new Error('no auth:success within the time limit')), timeoutMs);
      socket.once('auth:success', onSuccess);
      socket.once('auth:error', onAuthError);
      socket.once('connect_error', onFailure);
      socket.once('disconnect', onEarlyDisconnect);
    });

  return {
    sockets,
    stats,
    connect,
    /** Connects `userIds`, `width` handshakes at a time; failures are counted, not thrown. */
    async connectMany(userIds, width = 100) {
      const started = performance.now();
      for (let i = 0; i < userIds.length; i += width) await Promise.allSettled(userIds.slice(i, i + width).map((userId) => connect(userId)));
      return round1((performance.now() - started) / 1000);
    },
    /** Resolves once every subscribe sent so far has its ack (or timed out). */
    subscribesSettled: () => Promise.all([...pendingAcks]),
    /** Presence updates received per connection: count, mean, p50, p99, max. */
    updatesPerConnection() {
      const counts = [...sockets.values()].map((s) => s.presenceUpdates).sort((a, b) => a - b);
      const at = (q) => counts[Math.min(counts.length - 1, Math.floor(q * counts.length))] ?? 0;
      return {
        connections: counts.length,
        total: counts.reduce((a, b) => a + b, 0),
        mean: round1(counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length)),
        p50: at(0.5),
        p99: at(0.99),
        max: counts.at(-1) ?? 0,
      };
    },
    /** Connections that know every watched user as `status` (from the ack, then the updates). */
    connectionsSeeingAll(status) {
      let n = 0;
      for (const socket of sockets.values()) if ([...socket.watching].every((id) => socket.known.get(id) === status)) n++;
      return n;
    },
    close() {
      for (const socket of sockets.values()) {
        socket.intentional = true;
        clearTimeout(socket.heartbeatStart);
        clearInterval(socket.heartbeat);
        socket.close();
      }
      sockets.clear();
    },
  };
}
