import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { build } from './build.mjs';
import { bin, root, run } from './lib/run.mjs';

/**
 * The one test command: builds the product, checks that the real services are there, typechecks and
 * lints, then runs every suite (server unit + HTTP/socket e2e on PostgreSQL/Redis and embedded, web
 * unit, browser) and ends with one "N passed, N failed" line.
 */
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Two lanes run side by side, each its suites in order. The PostgreSQL project has one to itself:
// its fault tests restart PostgreSQL and Redis. Everything else touches neither (the embedded
// project, and the browser tests' servers on their own embedded databases), so it runs in the
// other lane while the PostgreSQL project, the longest suite, is running.
const LANES = [
  [{ name: 'server postgres', cwd: 'apps/server', args: ['--project', 'postgres'] }],
  [
    { name: 'server unit and embedded', cwd: 'apps/server', args: ['--project', 'unit', '--project', 'embedded'] },
    { name: 'web unit', cwd: 'apps/web', args: [] },
    { name: 'browser', cwd: 'apps/web', args: ['-c', 'vitest.e2e.config.ts'] },
  ],
];

const onPath = (command) => (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));

function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = createConnection({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
    socket.once('timeout', () => (socket.destroy(), done(false)));
  });
}

async function preflight() {
  const problems = [];
  if (!(await reachable(DATABASE_URL, 5432))) problems.push(`PostgreSQL is not reachable at ${new URL(DATABASE_URL).host} (set TEST_DATABASE_URL)`);
  if (!(await reachable(REDIS_URL, 6379))) problems.push(`Redis is not reachable at ${new URL(REDIS_URL).host} (set TEST_REDIS_URL)`);
  if (!existsSync(CHROMIUM)) problems.push(`Chromium is not at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (!existsSync('/usr/sbin/nginx')) problems.push('nginx is missing (apt-get install nginx): the deployment test runs the topology behind it');
  if (!onPath('promtool')) problems.push('promtool is missing (apt-get install prometheus): the deployment test checks the alert rules with it');
  if (!onPath('openssl')) problems.push('openssl is missing (apt-get install openssl)');
  if (problems.length > 0) {
    console.error(`Cannot run the tests:\n  - ${problems.join('\n  - ')}`);
    process.exit(1);
  }
}

const resultsDir = join(root, 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

await preflight();
await build();
console.log('\n> typecheck');
await run(process.execPath, [join(root, 'scripts/typecheck.mjs')]).catch(() => {
  console.error('Type errors: fix them first (bun run typecheck).');
  console.log('0 passed, 1 failed');
  process.exit(1);
});

console.log('\n> lint');
await run(process.execPath, [join(root, 'scripts/lint.mjs')]).catch(() => {
  console.error('Lint errors: fix them first (bun run lint; bun run format rewrites what the formatter owns).');
  console.log('0 passed, 1 failed');
  process.exit(1);
});

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSuites = [];

async function runSuite(suite) {
  const output = join(resultsDir, `${suite.name.replace(/\s+/g, '-')}.json`);
  let crashed = false;
  try {
    await run(bin('vitest'), ['run', ...suite.args, '--reporter=default', '--reporter=json', `--outputFile.json=${output}`], {
      cwd: join(root, suite.cwd),
      env: { ...process.env, TEST_DATABASE_URL: DATABASE_URL, TEST_REDIS_URL: REDIS_URL, CHROMIUM_PATH: CHROMIUM },
    });
  } catch {
    crashed = true;
  }
  const report = existsSync(output) ? JSON.parse(readFileSync(output, 'utf8')) : null;
  const passed = report?.numPassedTests ?? 0;
  const failed = (report?.numFailedTests ?? 0) + (crashed && !report?.numFailedTests ? 1 : 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
  if (failed > 0) failedSuites.push(suite.name);
}

await Promise.all(
  LANES.map(async (lane) => {
    for (const suite of lane) {
      console.log(`\n> ${suite.name} tests`);
      await runSuite(suite);
    }
  }),
);

console.log('');
if (failedSuites.length > 0) console.log(`Failing suites: ${failedSuites.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
