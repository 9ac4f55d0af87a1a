import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns true; rethrows nothing, fails with `message` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
      if (error instanceof Error && /exited/.test(error.message)) throw error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${message} within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

const exitHooks = new Set<() => void>();
let exitHandlerInstalled = false;

/**
 * Runs `hook` synchronously if the test process exits before the hook is removed, so a crashed
 * or killed test run does not leave redis-server or postgres behind. Returns the remover.
 */
export function onProcessExit(hook: () => void): () => void {
  if (!exitHandlerInstalled) {
    exitHandlerInstalled = true;
    process.once('exit', () => {
      for (const run of exitHooks) {
        try {
          run();
        } catch {
          // best effort
        }
      }
    });
  }
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

/** /work/main (the repository root), from apps/server/test/support/faults. */
export const REPO_ROOT = resolve(__dirname, '../../../../..');

/** Writes the figures of one suite to test-results/reliability/<suite>.json for the reliability report. */
export function writeReliabilityReport(suite: string, data: Record<string, unknown>): string {
  const dir = join(REPO_ROOT, 'test-results', 'reliability');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}.json`);
  writeFileSync(file, `${JSON.stringify({ suite, generatedAt: new Date().toISOString(), ...data }, null, 2)}\n`);
  return file;
}

/** The node's resident memory from its Prometheus endpoint (METRICS_PORT), in bytes. */
export async function residentMemoryOf(metricsUrl: string | null): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const match = /^chat_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  if (!match) throw new Error('chat_process_resident_memory_bytes missing from /metrics');
  return Number(match[1]);
}

export interface ReadyProbe {
  status: number | 'timeout' | 'error';
  body?: { status: string; checks: Record<string, string> };
}

export async function probeReady(baseUrl: string, timeoutMs = 4_000): Promise<ReadyProbe> {
  try {
    const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: (await res.json()) as ReadyProbe['body'] };
  } catch (error) {
    return { status: (error as Error).name === 'TimeoutError' ? 'timeout' : 'error' };
  }
}
