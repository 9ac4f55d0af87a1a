// CPU time and memory of processes, read from Linux /proc: the server, every PostgreSQL process and
// Redis. CPU time spent does not depend on how busy the machine is, so it compares two servers
// measured at different moments of one run better than latency does.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const PAGE_BYTES = (() => {
  try {
    return Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || 4096;
  } catch {
    return 4096;
  }
})();

/**
 * CPU seconds of a process from the scheduler's own accounting (/proc/<pid>/task/<tid>/schedstat,
 * nanoseconds on a CPU, summed over its threads), or undefined where the kernel has none. utime +
 * stime come in 10 ms ticks, which is too coarse for a phase in which PostgreSQL works for a tenth
 * of a second spread over many backends. A thread that exited takes its time along, so the sum can
 * go backwards: right for PostgreSQL backends and Redis, whose threads live as long as the process,
 * wrong for a server whose libvips threads come and go (thumbnails); such a benchmark reads the
 * server's CPU from its own /metrics instead (files.bench.mjs).
 */
function scheduledSeconds(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e9 : undefined;
  } catch {
    return undefined;
  }
}

/** Where CPU times come from on this machine: 'schedstat' (ns) or 'ticks' (utime + stime). */
export const CPU_TIME_SOURCE = scheduledSeconds(process.pid) === undefined ? 'ticks' : 'schedstat';

/** `{ comm, cpuSeconds, rssBytes }` of a process, or undefined once it is gone. */
export function readProcess(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The name may hold spaces and parentheses: the fields start after the last ')'.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' '); // fields[0] is field 3 (state) of proc(5)
  const ticks = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime + stime
  return {
    comm: stat.slice(stat.indexOf('(') + 1, close),
    cpuSeconds: CPU_TIME_SOURCE === 'schedstat' ? (scheduledSeconds(pid) ?? ticks) : ticks,
    rssBytes: Number(fields[21]) * PAGE_BYTES,
  };
}

/** Pids of every process whose name (comm) is `name`: `postgres` is the postmaster and all its backends. */
export function pidsNamed(name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU seconds per pid of the processes named `name` right now. */
function cpuByPid(name) {
  return new Map(pidsNamed(name).map((pid) => [pid, readProcess(pid)?.cpuSeconds ?? 0]));
}

/**
 * A CPU snapshot of the server (`serverPid`), PostgreSQL (every postgres process but
 * `otherPostgresPids`: the processes of other databases, so a test suite running beside the
 * benchmark does not count) and Redis (every redis-server process). `cpuSince(before, after)`
 * gives the seconds each spent between the two. A PostgreSQL backend that starts in between counts
 * from zero; one that exits in between takes its time along (the servers keep their pooled
 * connections, so that stays small).
 */
export function cpuSnapshot(serverPid, otherPostgresPids = new Set()) {
  return {
    server: readProcess(serverPid)?.cpuSeconds ?? NaN,
    postgres: cpuByPid('postgres'),
    otherPostgresPids,
    redis: cpuByPid('redis-server'),
  };
}

export function cpuSince(before, after) {
  const skip = new Set([...before.otherPostgresPids, ...after.otherPostgresPids]);
  const spent = (a, b, excluded = new Set()) =>
    [...a].reduce((sum, [pid, seconds]) => (excluded.has(pid) ? sum : sum + Math.max(0, seconds - (b.get(pid) ?? 0))), 0);
  return {
    serverSeconds: after.server - before.server,
    postgresSeconds: spent(after.postgres, before.postgres, skip),
    // Every postgres process, other databases' backends included: what the machine's PostgreSQL did meanwhile.
    postgresAllDatabasesSeconds: spent(after.postgres, before.postgres),
    redisSeconds: spent(after.redis, before.redis),
  };
}

/** runPhase's `stats` for any process: CPU and RSS from /proc (no event-loop lag: NaN). */
export const procStats = (pid) => async () => {
  const now = readProcess(pid);
  if (!now) throw new Error(`process ${pid} is gone`);
  return { cpuSeconds: now.cpuSeconds, rssBytes: now.rssBytes, eventLoopLagP99Seconds: NaN };
};
