// One measured phase of message:send over real sockets at a steady rate: each send's ack and
// deliveries tracked by clientMessageId, and the CPU that the server, this database's PostgreSQL
// and Redis spent meanwhile, per acked message.
import { newHistogram, now, processStats, round, summarize, toMicros } from './bench-kit.mjs';
import { cpuSince, cpuSnapshot, CPU_TIME_SOURCE } from './proc-stats.mjs';
import { otherDatabasesBackends } from './vs-reference.mjs';

/** Where cpuMeter's figures come from, for the results file. */
export const SEND_CPU_TIME_SOURCE = {
  server: 'chat_process_cpu_seconds_total of the server /metrics (process.cpuUsage: all threads, exited ones included), read before and after each phase',
  postgresAndRedis: CPU_TIME_SOURCE,
};

/** message:send with its ack: the server's answer, or `{ ok: false, code }` when none came in time. */
export function emitSend(socket, payload, timeoutMs = 15_000) {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit('message:send', payload, (err, answer) => {
      if (err) resolve({ ok: false, code: `no ack in ${timeoutMs / 1000} s` });
      else resolve(answer ?? { ok: false, code: 'empty ack' });
    });
  });
}

/** The server's, this database's PostgreSQL and Redis CPU from here on; `stop()` gives the seconds spent. */
export async function cpuMeter(server, databaseName) {
  const others = await otherDatabasesBackends(databaseName);
  // The server's CPU from its own /metrics (getrusage: every thread, those that exited included);
  // summing /proc/<pid>/task/*/schedstat would lose the time of threads that end meanwhile
  // (libvips, the push sender).
  const serverBefore = await processStats(server.baseUrl);
  const before = cpuSnapshot(server.pid, others);
  return async () => {
    const spent = cpuSince(before, cpuSnapshot(server.pid, new Set([...others, ...(await otherDatabasesBackends(databaseName))])));
    spent.serverSeconds = (await processStats(server.baseUrl)).cpuSeconds - serverBefore.cpuSeconds;
    return spent;
  };
}

/**
 * Open loop on the clock: `send(i)` for i = 0 … count - 1, `rate` a second from `started`; a late
 * tick catches up. Resolves once all are sent; rejects when a send throws.
 */
export function sendOnTheClock({ count, rate, started }, send) {
  let sent = 0;
  return new Promise((resolve, reject) => {
    const tick = setInterval(() => {
      try {
        const due = Math.min(count, Math.floor(((now() - started) / 1000) * rate));
        for (; sent < due; sent++) send(sent);
        if (sent >= count) {
          clearInterval(tick);
          resolve();
        }
      } catch (error) {
        clearInterval(tick);
        reject(error);
      }
    }, 10);
  });
}

/** The sends of one phase by clientMessageId: acks, failures by reason, deliveries and their latency. */
export function sendTracker() {
  const pending = new Map();
  const ack = newHistogram();
  const receive = newHistogram();
  const tracker = {
    acked: 0,
    failed: 0,
    failedReasons: {},
    /** A send about to go out; `fields` ride along on its entry. */
    start(clientMessageId, fields = {}) {
      const entry = { t0: now(), got: 0, acked: false, ...fields };
      pending.set(clientMessageId, entry);
      return entry;
    },
    /** A delivery: its entry, or undefined for a message this phase did not send. */
    received(clientMessageId) {
      const entry = pending.get(clientMessageId);
      if (!entry) return undefined;
      entry.got++;
      receive.recordValue(toMicros(now() - entry.t0));
      return entry;
    },
    /** A send's answer: true when acked; a refusal or a missing ack counts as failed, with its reason. */
    answered(clientMessageId, answer) {
      const entry = pending.get(clientMessageId);
      if (!answer.ok) {
        tracker.failed++;
        const reason = answer.code ?? 'not ok';
        tracker.failedReasons[reason] = (tracker.failedReasons[reason] ?? 0) + 1;
        pending.delete(clientMessageId);
        return false;
      }
      entry.acked = true;
      tracker.acked++;
      ack.recordValue(toMicros(now() - entry.t0));
      return true;
    },
    /** Sends not yet acked or not yet delivered `deliveries` times. */
    outstanding: (deliveries) => [...pending.values()].filter((e) => !e.acked || e.got < deliveries).length,
    /** Deliveries of acked sends short of `deliveries` each. */
    lost(deliveries) {
      let lost = 0;
      for (const e of pending.values()) if (e.acked) lost += Math.max(0, deliveries - e.got);
      return lost;
    },
    /** `{ acked, failed, failedReasons, lost }`, lost as for `lost(deliveries)`. */
    counts: (deliveries) => ({ acked: tracker.acked, failed: tracker.failed, failedReasons: tracker.failedReasons, lost: tracker.lost(deliveries) }),
    latency: () => ({ sendToAckMs: summarize(ack), sendToReceiveMs: summarize(receive) }),
  };
  return tracker;
}

/** CPU ms per acked message of the server, PostgreSQL, Redis and all three, from cpuMeter's seconds. */
export function cpuPerMessage(spent, acked) {
  const perMessage = (s) => round((s * 1000) / Math.max(1, acked), 3);
  return {
    serverCpuMsPerMessage: perMessage(spent.serverSeconds),
    postgresCpuMsPerMessage: perMessage(spent.postgresSeconds),
    redisCpuMsPerMessage: perMessage(spent.redisSeconds),
    cpuMsPerMessage: perMessage(spent.serverSeconds + spent.postgresSeconds + spent.redisSeconds),
  };
}

/**
 * A finished phase's figures: its kind and sends, the tracker's counts (lost as short of
 * `deliveries` each), `checks` (the benchmark's own), then its seconds, latency and CPU per
 * acked message (`spent` from cpuMeter).
 */
export function phaseFigures(tracker, { kind, sent, deliveries, seconds, spent }, checks) {
  return {
    kind,
    sent,
    ...tracker.counts(deliveries),
    ...checks,
    seconds: round(seconds),
    ...tracker.latency(),
    ...cpuPerMessage(spent, tracker.acked),
  };
}
