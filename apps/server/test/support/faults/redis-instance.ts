import { type ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from '../server-process';
import { onProcessExit, sleep, waitFor } from './util';

/**
 * A private redis-server run as a child process (no persistence), so a test can kill, restart or
 * freeze it without touching the machine's shared Redis.
 */
export class RedisInstance {
  private child?: ChildProcess;
  private log = '';
  private removeExitHook?: () => void;

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<RedisInstance> {
    const instance = new RedisInstance(port ?? (await freePort()));
    await instance.start();
    return instance;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.log;
  }

  /** Starts redis-server on the same port and resolves once it answers PING. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`redis on ${this.port} is already running`);
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--enable-debug-command',
        'yes',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout.on('data', (chunk) => (this.log += chunk));
    child.stderr.on('data', (chunk) => (this.log += chunk));
    this.removeExitHook?.();
    this.removeExitHook = onProcessExit(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${this.log}`);
        return (await this.ping()) === 'PONG';
      },
      10_000,
      `redis-server on ${this.port} did not answer PING`,
    );
  }

  /** SIGKILL: every key (the blacklist, dedup entries, the adapter's stream) is gone with it. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGKILL');
    await exited;
  }

  /** kill -9, stay down for `downMs`, start again on the same port. */
  async restart(downMs: number): Promise<void> {
    await this.kill9();
    await sleep(downMs);
    await this.start();
  }

  /** Freezes the server for `seconds` with DEBUG SLEEP; resolves once the command is sent, with its completion. */
  async freeze(seconds: number): Promise<{ done: Promise<void> }> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    await client.connect();
    const done = client
      .call('DEBUG', 'SLEEP', String(seconds))
      .then(() => undefined)
      .finally(() => client.disconnect());
    // Let the command reach the server before the caller goes on.
    await sleep(50);
    return { done };
  }

  async ping(): Promise<string | null> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectTimeout: 500,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.ping();
    } catch {
      return null;
    } finally {
      client.disconnect();
    }
  }

  async dispose(): Promise<void> {
    await this.kill9();
    this.removeExitHook?.();
  }
}
