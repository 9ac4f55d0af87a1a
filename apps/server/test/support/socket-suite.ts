import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SignedIn } from './builders';
import { type ClientSocket, socketOpener } from './sockets';
import { startTestCluster, type TestApp, useTestApp } from './test-app';

export interface SocketSuite {
  /** The server of this file (after beforeAll). */
  readonly app: TestApp;
  /** A socket signed in as `user`, closed after the test. */
  open(user: SignedIn, options?: { heartbeatMs?: number }): Promise<ClientSocket>;
}

/**
 * One server per test file with `env` on top of the test defaults (a function for values known only
 * in the hooks, such as a port); each test's sockets are closed after it.
 */
export function useSocketSuite(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}): SocketSuite {
  const app = useTestApp(env);
  const sockets = socketOpener(() => app.baseUrl);
  afterEach(() => sockets.closeAll());

  return {
    app,
    open: (user, options) => sockets.open(user, options),
  };
}

export interface SocketCluster {
  /** Node `i` of the deployment (after beforeAll). */
  node(i: number): TestApp;
  readonly nodes: TestApp[];
  /** A socket signed in as `user` on node `i`, closed after the block. */
  open(i: number, user: SignedIn, options?: { heartbeatMs?: number }): Promise<ClientSocket>;
}

/**
 * `count` nodes of one deployment (PostgreSQL and Redis) for the enclosing block, with `env` on top
 * of the test defaults (a function for values known only in the hooks).
 */
export function useSocketCluster(count: number, env: Record<string, string> | (() => Promise<Record<string, string>>) = {}): SocketCluster {
  let cluster: Awaited<ReturnType<typeof startTestCluster>> | undefined;
  const nodes = () => {
    if (!cluster) throw new Error('The cluster has not started yet (use it inside tests or hooks).');
    return cluster.nodes;
  };
  const sockets = socketOpener((i) => nodes()[i].baseUrl);
  beforeAll(async () => {
    cluster = await startTestCluster(count, typeof env === 'function' ? await env() : env);
  });
  afterAll(async () => {
    sockets.closeAll();
    await cluster?.close();
  });
  return {
    node: (i) => nodes()[i],
    get nodes() {
      return nodes();
    },
    open: (i, user, options) => sockets.open(user, { ...options, node: i }),
  };
}
