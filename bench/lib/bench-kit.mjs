// Shared plumbing of the benchmarks: a fresh database, a server process, machine facts,
// histograms, and the results file. Loopback only.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInfra, freePort, startServer as startServerProcess, withAdmin as withAdminOn } from '@chat/test-kit';
import hdr from 'hdr-histogram-js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const requireFromServer = createRequire(join(ROOT, 'apps/server/package.json'));

export const BASE_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Fresh for each run; a helper process of the run gets them in its environment.
export const SECRETS = {
  JWT_ACCESS_SECRET: process.env.JWT_ACCESS_SECRET ?? `bench-access-${randomBytes(24).toString('hex')}`,
  JWT_REFRESH_SECRET: process.env.JWT_REFRESH_SECRET ?? `bench-refresh-${randomBytes(24).toString('hex')}`,
  ...vapidKeys(),
};

function vapidKeys() {
  if (process.env.VAPID_PUBLIC_KEY && process.env.VAPID_PRIVATE_KEY)
    return { VAPID_PUBLIC_KEY: process.env.VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: process.env.VAPID_PRIVATE_KEY };
  const { publicKey, privateKey } = requireFromServer('web-push').generateVAPIDKeys();
  return { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A benchmark's setting from the environment: a string, or an integer with `envInt`. */
export const env = (name, fallback) => process.env[name] ?? fallback;
export const envInt = (name, fallback) => Number.parseInt(env(name, String(fallback)), 10);

export const log = (message) => console.log(message);
export const now = () => performance.now();
export const round = (value, digits = 2) => Number(value.toFixed(digits));
/** Milliseconds as the microseconds a histogram records (at least 1). */
export const toMicros = (ms) => Math.max(1, Math.round(ms * 1000));

/** Polls `done()` every 20 ms until it holds or `timeoutMs` have passed. */
export async function waitFor(done, timeoutMs) {
  for (const deadline = now() + timeoutMs; !done() && now() < deadline;) await sleep(20);
}

export { freePort };

export const withAdmin = (run) => withAdminOn(run, BASE_DATABASE_URL);

/** A fresh database and Redis key prefix; `dispose` drops both. */
export async function createBenchInfra(name) {
  const infra = await createInfra({ name: `bench_${name}`, databaseUrl: BASE_DATABASE_URL, redisUrl: REDIS_URL });
  // BENCH_KEEP_DATABASE=1 leaves the seeded database behind, to study its query plans afterwards.
  if (process.env.BENCH_KEEP_DATABASE === '1') {
    return { ...infra, dispose: async () => console.error(`bench database kept: ${infra.databaseUrl}`) };
  }
  return { ...infra, dispose: () => infra.dispose().catch((error) => console.error(`bench infra cleanup: ${error.message}`)) };
}

/** Each started server's metrics address (METRICS_PORT) by its public base URL. */
const metricsUrls = new Map();

/** Where the server at `baseUrl` serves /metrics: its own port, never the public one. */
export function metricsUrlOf(baseUrl) {
  const url = metricsUrls.get(baseUrl);
  if (!url) throw new Error(`no metrics port known for ${baseUrl}`);
  return url;
}

/**
 * The built server as its own process, like production. `script` runs another server instead
 * (the reference server), which must answer GET /health/ready.
 */
export async function startServer(env, { script = join(ROOT, 'apps/server/dist/main.js') } = {}) {
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // BENCH_SERVER_LOG=/path keeps the server's output (e.g. with --trace-gc in BENCH_SERVER_NODE_ARGS).
  const log = process.env.BENCH_SERVER_LOG ? createWriteStream(process.env.BENCH_SERVER_LOG) : undefined;
  const server = await startServerProcess(
    { NODE_ENV: 'production', ...SECRETS, ...env },
    { script, nodeArgs, metrics: true, readyTimeoutMs: 60_000, intervalMs: 200, onOutput: (chunk) => log?.write(chunk) },
  );
  metricsUrls.set(server.baseUrl, server.metricsUrl);
  return { baseUrl: server.baseUrl, pid: server.pid, output: server.output, stop: async () => void (await server.stop()) };
}

/**
 * The built server on a run's database, Redis key prefix and data folder, for a socket load. The
 * per-user message limit is lifted: a load spreads its messages over users, and that limit is not
 * what a load benchmark measures. `env` adds to or overrides the settings.
 */
export function startLoadServer(infra, env = {}) {
  return startServer({
    ...infra.env,
    MESSAGE_RATE_LIMIT: '1000000',
    ...env,
  });
}

/** CPU seconds and RSS of the server process, from its own /metrics. */
export async function processStats(baseUrl) {
  const text = await (await fetch(`${metricsUrlOf(baseUrl)}/metrics`)).text();
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    cpuSeconds: value('chat_process_cpu_seconds_total'),
    rssBytes: value('chat_process_resident_memory_bytes'),
    eventLoopLagP99Seconds: value('chat_nodejs_eventloop_lag_p99_seconds'),
  };
}

export const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

/** Percentiles in milliseconds of a histogram recorded in microseconds. */
export function summarize(histogram) {
  const ms = (us) => Math.round(us / 10) / 100;
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

export async function machineInfo() {
  const postgres = await withAdmin((admin) => admin.query('select version()')).then(
    (r) => r.rows[0].version,
    () => 'unknown',
  );
  // Settings that change what write-heavy figures mean (autovacuum off lets dead rows pile up).
  const postgresSettings = await withAdmin((admin) =>
    admin.query(`select name, setting from pg_settings where name in ('autovacuum', 'shared_buffers', 'synchronous_commit', 'fsync')`),
  ).then(
    (r) => Object.fromEntries(r.rows.map((row) => [row.name, row.setting])),
    () => ({}),
  );
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpuCount: os.cpus().length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    postgres,
    postgresSettings,
    loadAverage: os.loadavg(),
  };
}

/**
 * Linux CPU pressure: the share of wall time in which some runnable task waited for a CPU. Call
 * it at the start of a stretch; the function it returns gives the share since then (null where
 * the kernel does not report pressure).
 */
export function cpuPressureSince() {
  const read = () => {
    try {
      return Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1] ?? NaN);
    } catch {
      return NaN;
    }
  };
  const startTotal = read();
  const startedAt = process.hrtime.bigint();
  return () => {
    const stalledUs = read() - startTotal;
    const elapsedUs = Number(process.hrtime.bigint() - startedAt) / 1000;
    return Number.isFinite(stalledUs) ? Math.round((stalledUs / elapsedUs) * 1000) / 1000 : null;
  };
}

export function saveResults(name, data) {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** Saves the results, says where, and fails the process (exit code 1) when `data.failures` is not empty. */
export function reportResults(name, data) {
  const file = saveResults(name, data);
  console.log(`saved ${file}`);
  if (data.failures.length > 0) {
    console.error(`FAILED:\n  ${data.failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/** Warns that figures measured now will be noisy when the load average is above the CPU count. */
export function warnIfBusy(loadAverage) {
  if (loadAverage[0] > os.cpus().length) console.log(`! load average ${loadAverage[0].toFixed(2)}: expect noisy numbers`);
}

export const passOrFail = (ok) => (ok ? 'pass' : 'FAIL');

/** The verdict table: rows of `{ figure, value, target?, result? }` (result from `passOrFail`). */
export const printFigures = (rows) => printTable(rows, ['figure', 'value', 'target', 'result']);

export function printTable(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells) => cells.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('  ');
  console.log(line(columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(columns.map((c) => row[c])));
}
