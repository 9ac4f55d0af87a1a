// One way to run the built server as its own process, as production does: a free port, an
// environment that replaces the inherited one, readiness through /health/ready, a stop that waits.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVER_ENTRY = join(REPO_ROOT, 'apps/server/dist/main.js');

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/**
 * Starts a server process without waiting for it; `env` replaces the inherited environment and
 * wins over the defaults (a test may pass an invalid PORT on purpose). Metrics are off unless a
 * metrics port is given: several nodes run at once and cannot share one.
 */
export function spawnServer(env = {}, options = {}) {
  const {
    port = 0,
    metricsPort = 0,
    command = process.execPath,
    args,
    script = SERVER_ENTRY,
    nodeArgs = [],
    cwd,
    outputLimit = Infinity,
    onOutput,
    killAfterMs,
  } = options;
  if (!args && !existsSync(script)) throw new Error(`${script} is missing: run \`bun run build\` first`);
  let output = '';
  const child = spawn(command, args ?? [...nodeArgs, script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    output = output + chunk;
    if (output.length > outputLimit) output = output.slice(-outputLimit);
    onOutput?.(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    pid: child.pid,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    metricsPort,
    metricsUrl: metricsPort ? `http://127.0.0.1:${metricsPort}` : null,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      // A server that ignores the signal must not outlive its test run.
      const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Resolves once /health/ready answers 200; fails with the server's output if it exits or takes too long. */
export async function waitUntilReady(server, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null) throw new Error(`server exited with ${signalCode ?? exitCode} before it was ready:\n${server.output()}`);
    try {
      const res = await fetch(`${server.baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${server.output()}`);
}

/** spawnServer on a free port (and a free metrics port when `metrics` is set), resolved once ready; stopped again if it never is. */
export async function startServer(env = {}, { metrics = false, readyTimeoutMs, ...options } = {}) {
  const port = options.port ?? (await freePort());
  // Both ports are only probed, not held, so the second probe may hand back the first: ask again.
  let metricsPort = options.metricsPort ?? (metrics ? await freePort() : 0);
  while (metrics && options.metricsPort === undefined && metricsPort === port) metricsPort = await freePort();
  const server = spawnServer(env, { ...options, port, metricsPort });
  try {
    await waitUntilReady(server, { timeoutMs: readyTimeoutMs, intervalMs: options.intervalMs });
  } catch (error) {
    await server.stop('SIGKILL');
    throw error;
  }
  return server;
}
