// The life of one benchmark run: what it set up is undone once, in reverse order, whether it
// ends, fails, is interrupted or outlasts its time limit.
import os from 'node:os';
import { createBenchInfra, machineInfo, now, reportResults, round, startLoadServer } from './bench-kit.mjs';
import { agent } from './http-client.mjs';
import { autovacuumOn, autovacuumRecord } from './vs-reference.mjs';

/**
 * Runs `main(cleanups, run)`. `main` pushes a function that undoes each thing it sets up (stop a
 * server, drop a database) as soon as it is set up; those run last first, each once, at the end,
 * on SIGINT/SIGTERM, or when the run takes longer than `timeoutMs` (exit code 1, 130 on a signal).
 * `run` holds when it started and the load average then (`main` adds the later ones); `title`,
 * if given, is printed first.
 */
export async function runBenchmark(main, { timeoutMs, title }) {
  const cleanups = [];
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      while (cleanups.length > 0) {
        const fn = cleanups.pop();
        await Promise.resolve()
          .then(fn)
          .catch((error) => console.error(`cleanup: ${error.message}`));
      }
      agent.destroy();
    })());
  const watchdog = setTimeout(() => {
    console.error(`benchmark exceeded ${timeoutMs / 1000} s: giving up`);
    cleanup().finally(() => process.exit(1));
  }, timeoutMs);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => cleanup().finally(() => process.exit(130)));
  try {
    const run = { started: now(), loadAverage: { start: os.loadavg() } };
    if (title) console.log(title);
    await main(cleanups, run);
  } catch (error) {
    console.error(`benchmark failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
}

/**
 * Autovacuum on as in production, a fresh database and Redis key prefix named after `name`, and
 * the built server on them (startLoadServer, logging warnings only, sign-ups unlimited; `env`
 * adds to that); each is undone at the end of the run, the setting put back as it was.
 */
export async function startBenchServer(cleanups, name, env = {}) {
  const autovacuum = await autovacuumOn();
  cleanups.push(() => autovacuum.restore());
  const infra = await createBenchInfra(name);
  cleanups.push(() => infra.dispose());
  const server = await startLoadServer(infra, { LOG_LEVEL: 'warn', REGISTER_RATE_LIMIT: '0', ...env });
  cleanups.push(() => server.stop());
  return { autovacuum, infra, server };
}

/**
 * Saves `bench/results/<name>.json` (reportResults): the header of the `run` (when, how long,
 * targets, verdict, machine, load average, autovacuum), then `sections` in their order.
 */
export async function reportRun(name, run, { targets, failures, autovacuum }, sections) {
  reportResults(name, {
    benchmark: name,
    timestamp: new Date().toISOString(),
    durationSeconds: round((now() - run.started) / 1000, 1),
    targets,
    passed: failures.length === 0,
    failures,
    machine: await machineInfo(),
    loadAverage: run.loadAverage,
    autovacuum: autovacuumRecord(autovacuum),
    ...sections,
  });
}
