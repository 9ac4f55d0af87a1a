// The life of one benchmark run: what it set up is undone once, in reverse order, whether it
// ends, fails, is interrupted or outlasts its time limit.
import { agent } from './http-client.mjs';

/**
 * Runs `main(cleanups)`. `main` pushes a function that undoes each thing it sets up (stop a
 * server, drop a database) as soon as it is set up; those run last first, each once, at the end,
 * on SIGINT/SIGTERM, or when the run takes longer than `timeoutMs` (exit code 1, 130 on a signal).
 */
export async function runBenchmark(main, { timeoutMs }) {
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
    await main(cleanups);
  } catch (error) {
    console.error(`benchmark failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
}
