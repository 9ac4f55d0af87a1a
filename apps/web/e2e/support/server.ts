import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInfra, REPO_ROOT, SERVER_ENTRY, startServer as startServerProcess } from '@chat/test-kit';

export const repoRoot = REPO_ROOT;
export const serverEntry = SERVER_ENTRY;
export const webDist = join(repoRoot, 'apps/web/dist');

export interface RunningServer {
  baseUrl: string;
  /** Everything the server wrote so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built server on a free port with a fresh embedded database and the built web app,
 * and resolves once /health/ready answers 200.
 */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  for (const [what, path] of [
    ['server', serverEntry],
    ['web app', join(webDist, 'index.html')],
  ] as const) {
    if (!existsSync(path)) throw new Error(`The ${what} is not built (${path} is missing); run \`bun run build\` at the repository root first.`);
  }

  const infra = await createInfra({ name: 'chat_web_e2e', embedded: true });
  const env: Record<string, string | undefined> = { ...process.env };
  // Embedded database and in-process adapters: nothing external may leak in from the caller's shell.
  // The port and the metrics port are the launcher's (metrics off: several test servers run at once).
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'METRICS_PORT']) delete env[name];
  Object.assign(env, { ...infra.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'test', WEB_DIST: webDist, ...extraEnv });

  try {
    const server = await startServerProcess(env, { cwd: repoRoot, outputLimit: 64 * 1024, killAfterMs: 10_000, readyTimeoutMs: 60_000, intervalMs: 250 });
    return {
      baseUrl: server.baseUrl,
      output: server.output,
      stop: async () => {
        await server.stop();
        await infra.dispose();
      },
    };
  } catch (error) {
    await infra.dispose();
    throw error;
  }
}
