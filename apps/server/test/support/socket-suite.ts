import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SignedIn } from './builders';
import { type ClientSocket, connectSocket } from './sockets';
import { startTestApp, type TestApp } from './test-app';

export interface SocketSuite {
  /** The server of this file (after beforeAll). */
  readonly app: TestApp;
  /** A socket signed in as `user`, closed after the test. */
  open(user: SignedIn): Promise<ClientSocket>;
}

/** One server per test file with `env` on top of the test defaults; each test's sockets are closed after it. */
export function useSocketSuite(env: Record<string, string> = {}): SocketSuite {
  let app: TestApp | undefined;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    app = await startTestApp(env);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(() => app?.close());

  const started = () => {
    if (!app) throw new Error('The suite has not started yet (use it inside tests or hooks).');
    return app;
  };
  return {
    get app() {
      return started();
    },
    async open(user) {
      const socket = await connectSocket(started().baseUrl, user.auth.accessToken);
      sockets.push(socket);
      return socket;
    },
  };
}
