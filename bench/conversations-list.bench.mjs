/**
 * Conversation list benchmark.
 *
 * Target: with 10,000 users, 50,000 conversations and 1,000,000 messages, GET /api/conversations
 * for a user's first page and for a deep page answers with p95 < 20 ms, and the query plans use
 * indexes (no sequential scan over messages).
 *
 * Steps: fresh database -> built server on a free port (it migrates) -> register a "power user"
 * through the API -> set-based seed in SQL -> VACUUM ANALYZE -> HTTP latency with keep-alive
 * (sequential and 8 in flight) -> EXPLAIN ANALYZE of the exact SQL the repository builds ->
 * table on stdout + bench/results/conversations-list.json. Cleans up the server, the database and
 * the Redis keys whatever happens. Exits 1 when the target is missed.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL  admin connection used to create/drop the bench database
 *                       (default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_REDIS_URL     default redis://127.0.0.1:6379
 *   BENCH_REQUESTS      measured requests per scenario (default 2000)
 *   BENCH_WARMUP        warm-up requests per scenario (default 200)
 *   BENCH_CONCURRENCY   requests in flight for the concurrent runs (default 8)
 *   BENCH_SCENARIO_SECONDS  time cap of one measured scenario (default 15; the warm-up gets 3)
 *   BENCH_TIMEOUT_SECONDS  hard limit for the whole benchmark (default 420)
 *   BENCH_KEEP_DATABASE=1  keep the seeded database afterwards (to look at plans by hand)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInfra, createUser, deleteRedisPrefix, startServer as startServerProcess } from '@chat/test-kit';
import hdr from 'hdr-histogram-js';
import { seedConversations, validateConversationDataset } from './lib/conversation-seed.mjs';
import { agent, request } from './lib/http-client.mjs';
import { summarizePlan } from './lib/query-plans.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULT_FILE = join(ROOT, 'bench/results/conversations-list.json');
// pg is a dependency of the workspaces, not of the root: resolve it from there.
const pg = createRequire(join(ROOT, 'packages/db/package.json'))('pg');
const webPush = createRequire(join(ROOT, 'apps/server/package.json'))('web-push');
// Production requires VAPID keys; this run sends no pushes, so a fresh pair will do.
const vapidKeys = () => {
  const { publicKey, privateKey } = webPush.generateVAPIDKeys();
  return { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey };
};

const env = (name, fallback) => process.env[name] ?? fallback;
const int = (name, fallback) => Number.parseInt(env(name, String(fallback)), 10);

const CONFIG = {
  users: 10_000,
  conversations: 50_000,
  directConversations: 35_000, // 70,000 participant rows; 15,000 groups of 2..20 add ~80,000
  messages: 1_000_000,
  powerUserConversations: 2_000,
  powerUserDirect: 1_200, // the other 800 are groups
  typicalUserConversations: 15,
  pageSize: 50,
  deepPage: 30,
  requests: int('BENCH_REQUESTS', 2_000),
  warmup: int('BENCH_WARMUP', 200),
  concurrency: int('BENCH_CONCURRENCY', 8),
  scenarioSeconds: int('BENCH_SCENARIO_SECONDS', 15),
  warmupSeconds: 3,
  sqlRuns: 100, // direct executions of the same SQL (at most 5 s), to split database time from server time
  editedShare: 0.01,
  deletedShare: 0.005,
  targetP95Ms: 20,
  seed: 0.4242, // setseed(): same shape of data on every run
};
const ADMIN_URL = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test');
const REDIS_URL = env('BENCH_REDIS_URL', 'redis://127.0.0.1:6379');
const TIMEOUT_MS = int('BENCH_TIMEOUT_SECONDS', 420) * 1000;
const KEEP_DATABASE = env('BENCH_KEEP_DATABASE', '') === '1';
const HOST = '127.0.0.1';
const PASSWORD = `bench-${randomBytes(8).toString('hex')}`;

// ---------------------------------------------------------------------------------------------
// Cleanup: registered as resources are created, run in reverse order exactly once.

const cleanups = [];
let cleaning = null;
function runCleanup() {
  cleaning ??= (async () => {
    for (const [label, fn] of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        console.error(`cleanup (${label}) failed: ${error.message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    runCleanup().finally(() => process.exit(130));
  });
}

function assertLoopback(url, what) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`${what} must point at this machine, got ${host}`);
}

const now = () => performance.now();
const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const log = (message) => console.log(message);

// ---------------------------------------------------------------------------------------------
// Database, Redis and server lifecycle.

/** A fresh database, Redis key prefix and data folder, removed by the cleanup (the database kept with BENCH_KEEP_DATABASE=1). */
async function createBenchInfra() {
  assertLoopback(ADMIN_URL, 'BENCH_DATABASE_URL');
  assertLoopback(REDIS_URL, 'BENCH_REDIS_URL');
  const infra = await createInfra({ name: 'chat_bench', databaseUrl: ADMIN_URL, redisUrl: REDIS_URL });
  const name = new URL(infra.databaseUrl).pathname.slice(1);
  cleanups.push([
    `drop database ${name}, Redis keys ${infra.redisPrefix}*, data dir`,
    async () => {
      if (!KEEP_DATABASE) return infra.dispose();
      log(`  kept database ${name} (BENCH_KEEP_DATABASE=1): drop it with dropdb -h 127.0.0.1 -U postgres ${name}`);
      await deleteRedisPrefix(infra.redisPrefix, REDIS_URL);
      rmSync(infra.dataDir, { recursive: true, force: true });
    },
  ]);
  return { ...infra, name };
}

async function startServer(infra) {
  // The launcher picks the port; metrics stay off.
  const inherited = { ...process.env };
  delete inherited.PORT;
  delete inherited.METRICS_PORT;
  const server = await startServerProcess(
    {
      ...inherited,
      NODE_ENV: 'production',
      HOST,
      ...infra.env,
      JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
      JWT_REFRESH_SECRET: randomBytes(32).toString('hex'),
      ...vapidKeys(),
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
      REGISTER_RATE_LIMIT: '0',
    },
    { cwd: ROOT, readyTimeoutMs: 60_000, intervalMs: 200, outputLimit: 64 * 1024, killAfterMs: 5000 },
  );
  cleanups.push(['stop server', () => server.stop()]);
  const exited = () => (server.child.exitCode ?? server.child.signalCode) !== null;
  return { base: server.baseUrl, port: server.port, pid: server.pid, output: server.output, exited };
}

// ---------------------------------------------------------------------------------------------
// HTTP with keep-alive.

async function api(base, method, path, options) {
  const res = await request(method, `${base}${path}`, options);
  let json = null;
  try {
    json = JSON.parse(res.text);
  } catch {
    // not JSON
  }
  return { ...res, json };
}

async function register(base, email, displayName) {
  const { token, id } = await createUser(base, { email, password: PASSWORD, displayName });
  return { token, id, email };
}

// ---------------------------------------------------------------------------------------------
// Load generation.

/** CPU time (user + system) a process has used so far, in ms; null where /proc is missing. */
function processCpuMs(pid) {
  try {
    // Fields after the command name: state is field 3, utime 14, stime 15 (in clock ticks of 1/100 s).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function newHistogram() {
  // Microseconds, 1 us .. 120 s, 3 significant digits.
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
}

async function runLoad(url, token, { requests, warmup, concurrency, check, serverPid }) {
  const fire = async (count, seconds, histogram, errors) => {
    let next = 0;
    const deadline = now() + seconds * 1000;
    const worker = async () => {
      while (next < count && now() < deadline) {
        next += 1;
        const res = await request('GET', url, { token });
        if (res.status !== 200 || (check && !check(res.text))) {
          errors.push(`${res.status} ${res.text.slice(0, 200)}`);
          continue;
        }
        histogram?.recordValue(Math.max(1, Math.round(res.micros)));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  const errors = [];
  await fire(warmup, CONFIG.warmupSeconds, null, errors);
  const histogram = newHistogram();
  const cpuBefore = serverPid ? processCpuMs(serverPid) : null;
  const started = now();
  await fire(requests, CONFIG.scenarioSeconds, histogram, errors);
  const seconds = (now() - started) / 1000;
  const cpuAfter = serverPid ? processCpuMs(serverPid) : null;
  const ms = (value) => Number((value / 1000).toFixed(3));
  const summary = {
    requests: histogram.totalCount,
    cappedByTime: histogram.totalCount + errors.length < requests,
    errors: errors.length,
    firstErrors: errors.slice(0, 3),
    p50: ms(histogram.getValueAtPercentile(50)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    min: ms(histogram.minNonZeroValue),
    mean: ms(histogram.mean),
    stddev: ms(histogram.stdDeviation),
    throughput: Number((histogram.totalCount / seconds).toFixed(1)),
    // CPU the server process spent per request: independent of how busy the machine is.
    serverCpuMsPerRequest:
      cpuBefore !== null && cpuAfter !== null && histogram.totalCount > 0 ? Number(((cpuAfter - cpuBefore) / histogram.totalCount).toFixed(2)) : null,
    seconds: Number(seconds.toFixed(2)),
  };
  histogram.destroy?.();
  return summary;
}

// ---------------------------------------------------------------------------------------------
// Query plans of the exact SQL the repository builds.

function loadRepository(databaseUrl) {
  const require = createRequire(import.meta.url);
  const { connectPostgres } = require(join(ROOT, 'packages/db/dist/index.js'));
  const { ConversationSummaryRepository } = require(join(ROOT, 'apps/server/dist/modules/conversations/conversation-summary.repository.js'));
  const handle = connectPostgres(databaseUrl, { max: 2 });
  cleanups.push(['close explain pool', () => handle.close()]);
  return { handle, repository: new ConversationSummaryRepository(handle.db) };
}

async function explain(pool, query, runs = 5) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const { rows } = await pool.query(`explain (analyze, buffers, format json) ${query.sql}`, query.params);
    last = rows[0]['QUERY PLAN'];
    times.push(last[0]['Execution Time']);
  }
  return summarizePlan(last, times);
}

// ---------------------------------------------------------------------------------------------
// Output.

function machineInfo(postgresVersion, settings) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    totalMemoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    postgres: postgresVersion,
    postgresSettings: settings,
  };
}

function printTable(results) {
  const header = ['scenario', 'in flight', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms', 'req/s', 'server CPU ms/req', 'errors'];
  const rows = results.map((r) => [
    r.label,
    String(r.concurrency),
    String(r.requests),
    fmtMs(r.p50),
    fmtMs(r.p95),
    fmtMs(r.p99),
    fmtMs(r.max),
    fmtMs(r.mean),
    r.throughput.toFixed(0),
    r.serverCpuMsPerRequest === null ? '-' : r.serverCpuMsPerRequest.toFixed(2),
    String(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  log(line(header));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) log(line(row));
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const t = now();
  const load = { start: os.loadavg().map((v) => Number(v.toFixed(2))) };
  log(`Conversation list benchmark: ${CONFIG.users} users, ${CONFIG.conversations} conversations, ${CONFIG.messages} messages`);

  const infra = await createBenchInfra();
  const database = { name: infra.name, url: infra.databaseUrl };
  log(`> database ${database.name}, Redis prefix ${infra.redisPrefix}`);

  const server = await startServer(infra);
  log(`> server ready at ${server.base} (migrated) in ${((now() - t) / 1000).toFixed(1)} s`);

  const tag = randomBytes(3).toString('hex');
  const power = await register(server.base, `power-${tag}@example.com`, 'Power User');
  const throwaway = await register(server.base, `throwaway-${tag}@example.com`, 'Throwaway');

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  cleanups.push(['close seed client', () => client.end()]);
  const { rows: versionRows } = await client.query('select version() v');
  const { rows: settingRows } = await client.query(
    `select name, current_setting(name) as value from pg_settings
     where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'max_parallel_workers_per_gather')
     order by name`,
  );

  log('> seeding');
  const seedStarted = now();
  const seeding = await seedConversations(client, { power, throwaway, config: CONFIG, log });
  const seedSeconds = (now() - seedStarted) / 1000;
  log(`  seeding took ${seedSeconds.toFixed(1)} s`);
  const dataset = await validateConversationDataset(client, power);
  log(
    `  present: ${dataset.users} users, ${dataset.conversations} conversations (${dataset.direct_conversations} direct), ` +
      `${dataset.conversation_participants} participants, ${dataset.messages} messages; power user in ${dataset.power_user_conversations}`,
  );
  if (dataset.power_user_conversations !== CONFIG.powerUserConversations) {
    throw new Error(`power user is in ${dataset.power_user_conversations} conversations, expected ${CONFIG.powerUserConversations}`);
  }

  // A typical user: the seeded user whose conversation count is closest to 15, signed in for real
  // with the throwaway account's argon2id hash (the password is the throwaway's).
  const { rows: typicalRows } = await client.query(
    `select u.id, u.email, count(*)::int conversations
     from users u join conversation_participants p on p.user_id = u.id and p.left_at is null
     where u.id <> all($1::uuid[])
     group by u.id, u.email order by abs(count(*) - $2), u.email limit 1`,
    [[power.id, throwaway.id], CONFIG.typicalUserConversations],
  );
  const typical = typicalRows[0];
  await client.query(`update users set password_hash = (select password_hash from users where id = $1) where id = $2`, [throwaway.id, typical.id]);
  const login = await api(server.base, 'POST', '/api/auth/login', { body: { email: typical.email, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`login of the typical user: ${login.status} ${login.text}`);
  typical.token = login.json.accessToken;

  // Walk the power user's whole list once: checks paging and finds the cursor of the deep page.
  const listPath = (cursor) => `/api/conversations?limit=${CONFIG.pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const seen = new Set();
  let cursor = null;
  let deepCursor = null;
  let deepFirstId = null;
  let pages = 0;
  for (;;) {
    const res = await api(server.base, 'GET', listPath(cursor), { token: power.token });
    if (res.status !== 200) throw new Error(`list page ${pages + 1}: ${res.status} ${res.text}`);
    pages += 1;
    if (pages === CONFIG.deepPage) {
      deepCursor = cursor;
      deepFirstId = res.json.conversations[0]?.id;
    }
    for (const conversation of res.json.conversations) seen.add(conversation.id);
    if (!res.json.hasMore) break;
    cursor = res.json.nextCursor;
  }
  if (seen.size !== CONFIG.powerUserConversations)
    throw new Error(`paging returned ${seen.size} distinct conversations, expected ${CONFIG.powerUserConversations}`);
  if (!deepCursor) throw new Error(`the power user has no page ${CONFIG.deepPage}`);
  log(`> power user list: ${pages} pages of ${CONFIG.pageSize}, ${seen.size} distinct conversations; typical user ${typical.conversations} conversations`);

  // Latency.
  const scenarios = [
    { key: 'powerFirstPage', label: `power user (${CONFIG.powerUserConversations}), first page`, token: power.token, path: listPath(null) },
    { key: 'powerDeepPage', label: `power user, page ${CONFIG.deepPage}`, token: power.token, path: listPath(deepCursor) },
    { key: 'typicalFirstPage', label: `typical user (${typical.conversations}), first page`, token: typical.token, path: listPath(null) },
  ];
  load.beforeMeasuring = os.loadavg().map((v) => Number(v.toFixed(2)));
  if (load.beforeMeasuring[0] > os.cpus().length) {
    log(`! load average ${load.beforeMeasuring[0]} on ${os.cpus().length} CPUs: other processes compete with this run; expect noisy numbers`);
  }
  // Floor of the HTTP stack: an unauthenticated route that touches neither PostgreSQL nor Redis.
  const latency = [];
  log(`> baseline GET /health/live, 1 in flight`);
  const baseline = await runLoad(`${server.base}/health/live`, null, {
    requests: CONFIG.requests,
    warmup: CONFIG.warmup,
    concurrency: 1,
    serverPid: server.pid,
  });
  latency.push({ key: 'baseline', label: 'baseline: GET /health/live', concurrency: 1, ...baseline });
  log(`  p50 ${fmtMs(baseline.p50)} ms, p95 ${fmtMs(baseline.p95)} ms`);
  for (const concurrency of [1, CONFIG.concurrency]) {
    for (const scenario of scenarios) {
      log(`> ${scenario.label}, ${concurrency} in flight: ${CONFIG.warmup} warm-up + ${CONFIG.requests} requests`);
      const expected = scenario.key === 'typicalFirstPage' ? Math.min(typical.conversations, CONFIG.pageSize) : CONFIG.pageSize;
      const result = await runLoad(`${server.base}${scenario.path}`, scenario.token, {
        requests: CONFIG.requests,
        warmup: CONFIG.warmup,
        concurrency,
        serverPid: server.pid,
        // Cheap shape check: the right number of conversations came back.
        check: (text) => JSON.parse(text).conversations.length === expected,
      });
      latency.push({ key: scenario.key, label: scenario.label, concurrency, ...result });
      log(
        `  p50 ${fmtMs(result.p50)} ms, p95 ${fmtMs(result.p95)} ms, p99 ${fmtMs(result.p99)} ms, ${result.throughput} req/s` +
          (result.serverCpuMsPerRequest === null ? '' : `, server CPU ${result.serverCpuMsPerRequest} ms/request`),
      );
      if (server.exited()) throw new Error(`server exited during the run:\n${server.output()}`);
    }
  }

  // Query plans of the same pages.
  log('> EXPLAIN ANALYZE of the repository SQL');
  const { handle, repository } = loadRepository(database.url);
  const { rows: afterRows } = await client.query(
    `select c.last_activity_at::text t, c.id id
     from conversation_participants p join conversations c on c.id = p.conversation_id and c.deleted_at is null
     where p.user_id = $1 and p.left_at is null
     order by c.last_activity_at desc, c.id desc offset $2 limit 1`,
    [power.id, (CONFIG.deepPage - 1) * CONFIG.pageSize - 1],
  );
  const after = { t: afterRows[0].t, id: afterRows[0].id };
  const queries = {
    powerFirstPage: repository.listForUser(power.id, CONFIG.pageSize).toSQL(),
    powerDeepPage: repository.listForUser(power.id, CONFIG.pageSize, after).toSQL(),
    typicalFirstPage: repository.listForUser(typical.id, CONFIG.pageSize).toSQL(),
  };
  // The explained deep page must be the page the HTTP runs fetched.
  const { rows: deepRows } = await handle.pool.query({ text: queries.powerDeepPage.sql, values: queries.powerDeepPage.params, rowMode: 'array' });
  if (deepRows[0]?.[0] !== deepFirstId) throw new Error(`explained deep page starts at ${deepRows[0]?.[0]}, the API page ${CONFIG.deepPage} at ${deepFirstId}`);
  const plans = {};
  for (const [key, query] of Object.entries(queries)) {
    plans[key] = { sql: query.sql, params: query.params, ...(await explain(handle.pool, query)) };
    const p = plans[key];
    log(`\n  ${key}: execution ${fmtMs(p.medianExecutionMs)} ms (median of ${p.executionMsRuns.length}), planning ${fmtMs(p.planningMs)} ms`);
    log(`  seq scans: ${p.seqScans.length ? p.seqScans.map((s) => `${s.relation}${s.alias !== s.relation ? ` (${s.alias})` : ''}`).join(', ') : 'none'}`);
    log(`  indexes: ${p.indexes.join(', ') || 'none'}`);
    for (const line of p.plan) log(`    ${line}`);
  }

  // The same SQL straight from a pg client (planning + execution + transfer, no HTTP, no Nest):
  // what is left of the HTTP latency is the server's own time.
  log(`\n> the same SQL over a plain pg connection, ${CONFIG.sqlRuns} runs each`);
  for (const [key, query] of Object.entries(queries)) {
    const histogram = newHistogram();
    const sqlDeadline = now() + 5000;
    for (let i = 0; i < CONFIG.sqlRuns + 10 && now() < sqlDeadline; i++) {
      const started = process.hrtime.bigint();
      await handle.pool.query(query.sql, query.params);
      if (i >= 10) histogram.recordValue(Math.max(1, Math.round(Number(process.hrtime.bigint() - started) / 1000)));
    }
    plans[key].sqlRoundTripMs = {
      runs: histogram.totalCount,
      p50: Number((histogram.getValueAtPercentile(50) / 1000).toFixed(3)),
      p95: Number((histogram.getValueAtPercentile(95) / 1000).toFixed(3)),
      max: Number((histogram.maxValue / 1000).toFixed(3)),
    };
    log(`  ${key.padEnd(16)} p50 ${fmtMs(plans[key].sqlRoundTripMs.p50)} ms, p95 ${fmtMs(plans[key].sqlRoundTripMs.p95)} ms`);
  }
  load.end = os.loadavg().map((v) => Number(v.toFixed(2)));

  // Verdict.
  const failures = [];
  for (const key of ['powerFirstPage', 'powerDeepPage']) {
    const sequential = latency.find((r) => r.key === key && r.concurrency === 1);
    if (sequential.p95 >= CONFIG.targetP95Ms) failures.push(`${sequential.label}: sequential p95 ${sequential.p95} ms >= ${CONFIG.targetP95Ms} ms`);
  }
  for (const result of latency)
    if (result.errors > 0) failures.push(`${result.label} (${result.concurrency} in flight): ${result.errors} failed requests, e.g. ${result.firstErrors[0]}`);
  for (const [key, plan] of Object.entries(plans)) if (plan.seqScanOnMessages) failures.push(`${key}: the plan has a Seq Scan on messages`);

  const report = {
    benchmark: 'conversations-list',
    timestamp: startedAt.toISOString(),
    durationSeconds: Number(((now() - t) / 1000).toFixed(1)),
    target: `p95 < ${CONFIG.targetP95Ms} ms for the first and a deep page (sequential), no Seq Scan on messages`,
    passed: failures.length === 0,
    failures,
    machine: machineInfo(versionRows[0].v, Object.fromEntries(settingRows.map((r) => [r.name, r.value]))),
    loadAverage: load,
    config: { ...CONFIG },
    dataset,
    seeding: { seconds: Number(seedSeconds.toFixed(1)), ...seeding },
    users: {
      power: { conversations: dataset.power_user_conversations, pages, deepPage: CONFIG.deepPage },
      typical: { conversations: typical.conversations },
    },
    latencyMs: latency,
    plans,
  };
  mkdirSync(dirname(RESULT_FILE), { recursive: true });
  writeFileSync(RESULT_FILE, `${JSON.stringify(report, null, 2)}\n`);

  log('\nHTTP latency in ms, keep-alive; pages are GET /api/conversations?limit=50\n');
  printTable(latency);
  log('');
  for (const [key, p] of Object.entries(plans)) {
    log(
      `${key.padEnd(16)}  EXPLAIN exec ${fmtMs(p.medianExecutionMs).padStart(5)} ms, SQL round trip p50 ${fmtMs(p.sqlRoundTripMs.p50).padStart(5)} ms` +
        `  seq scans: ${p.seqScans.map((s) => (s.alias === s.relation ? s.relation : `${s.relation} ${s.alias}`)).join(', ') || 'none'}`,
    );
    log(`${''.padEnd(16)}  indexes: ${[...new Set(p.indexes.map((i) => i.split(' ')[0]))].join(', ')}`);
  }
  log(`load average (1/5/15 min): start ${load.start.join(' ')}, before measuring ${load.beforeMeasuring.join(' ')}, end ${load.end.join(' ')}`);
  log(`\nseeding ${seedSeconds.toFixed(1)} s, total ${((now() - t) / 1000).toFixed(1)} s; results in ${relative(ROOT, RESULT_FILE)}`);
  if (failures.length > 0) {
    log(`\nFAIL:\n  - ${failures.join('\n  - ')}`);
    return 1;
  }
  log(`\nPASS: p95 under ${CONFIG.targetP95Ms} ms for the first and the deep page, no Seq Scan on messages`);
  return 0;
}

const watchdog = setTimeout(() => {
  console.error(`\nbenchmark exceeded ${TIMEOUT_MS / 1000} s: giving up`);
  runCleanup().finally(() => process.exit(1));
}, TIMEOUT_MS);

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`\nbenchmark failed: ${error.stack ?? error.message}`);
} finally {
  log('> cleaning up');
  await runCleanup();
  clearTimeout(watchdog);
  agent.destroy();
}
process.exit(exitCode);
