import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../server-process';
import { onProcessExit, waitFor } from './util';

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** Runs a PostgreSQL binary as the postgres OS user (initdb and pg_ctl refuse root). */
async function asPostgres(binary: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, binary), ...args]] : [join(PG_BIN, binary), args];
  const { stdout } = await run(command, argv, { timeout: timeoutMs, env: { PATH: process.env.PATH ?? '', LANG: 'C' } });
  return stdout;
}

/**
 * A private PostgreSQL 15 cluster in a temp directory (trust auth, fsync off), so a test can
 * terminate its backends, restart or stop it without touching the shared server.
 */
export class PgCluster {
  private removeExitHook?: () => void;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PgCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'chat-faults-pg-'));
    if (process.getuid?.() === 0) {
      const { uid, gid } = postgresIds();
      chownSync(dir, uid, gid);
    }
    const cluster = new PgCluster(dir, await freePort());
    cluster.removeExitHook = onProcessExit(() => {
      try {
        execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl'), '-D', cluster.dataDir, 'stop', '-m', 'immediate'], {
          stdio: 'ignore',
          timeout: 10_000,
        });
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    });
    await asPostgres('initdb', ['-D', cluster.dataDir, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C']);
    await cluster.start();
    return cluster;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'log'), 'utf8');
    } catch {
      return '';
    }
  }

  private options(): string {
    return `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  }

  async start(): Promise<void> {
    await asPostgres('pg_ctl', ['-D', this.dataDir, '-o', this.options(), '-l', join(this.dir, 'log'), '-w', '-t', '30', 'start']);
    await waitFor(async () => this.accepting(), 10_000, 'private PostgreSQL not accepting connections');
  }

  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await asPostgres('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
  }

  /** `pg_ctl restart -m fast`: every connection is closed; resolves once it accepts connections again. */
  async restart(): Promise<void> {
    await asPostgres('pg_ctl', ['-D', this.dataDir, '-o', this.options(), '-l', join(this.dir, 'log'), '-m', 'fast', '-w', '-t', '30', 'restart']);
    await waitFor(async () => this.accepting(), 10_000, 'private PostgreSQL not accepting connections after restart');
  }

  async accepting(): Promise<boolean> {
    const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database), connectionTimeoutMillis: 5_000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async createDatabase(name: string): Promise<string> {
    await this.query(`create database ${name}`);
    return this.url(name);
  }

  /** pg_terminate_backend for every other connection to `database`; returns how many were ended. */
  async terminateBackends(database: string): Promise<number> {
    const rows = await this.query<{ ended: boolean }>(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    return rows.filter((r) => r.ended).length;
  }

  async destroy(): Promise<void> {
    try {
      await asPostgres('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'], 40_000);
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.removeExitHook?.();
  }
}
