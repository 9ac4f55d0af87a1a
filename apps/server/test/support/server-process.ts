import { freePort, SERVER_ENTRY, type ServerProcess, spawnServer as spawnKitServer, waitUntilReady as waitUntilKitReady } from '@chat/test-kit';

export { freePort, SERVER_ENTRY, type ServerProcess };

/**
 * Runs the built server as its own process, as production does; env replaces the inherited one.
 * Metrics are off unless a metrics port is given: several nodes run at once and cannot share one.
 */
export function spawnServer(env: Record<string, string>, port = 0, metricsPort = 0): ServerProcess {
  return spawnKitServer(env, { port, metricsPort });
}

/** Resolves once /health/ready answers 200; fails with the server's output if it exits or takes too long. */
export const waitUntilReady = (server: ServerProcess, timeoutMs = 30_000) => waitUntilKitReady(server, { timeoutMs });
