import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { Pool, type PoolConfig } from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
/** The Drizzle surface both drivers share; repositories depend on this, never on a driver. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;

export type DatabaseKind = 'postgres' | 'embedded';

export interface DatabaseHandle {
  kind: DatabaseKind;
  db: Database;
  /**
   * Runs one fixed SQL text with $n parameters, for the hottest statements: on PostgreSQL as a
   * named prepared statement (parsed and planned once per connection), embedded as a plain query.
   */
  prepared<Row>(name: string, text: string, values: unknown[]): Promise<{ rows: Row[] }>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Only for postgres: the pool, for migrations and pool metrics. */
  pool?: Pool;
  /** Only for embedded: the PGlite instance. */
  pglite?: PGlite;
}

export function connectPostgres(url: string, options: Omit<PoolConfig, 'connectionString'> = {}): DatabaseHandle {
  const pool = new Pool({
    connectionString: url,
    max: 20,
    // Bounded waits everywhere: a dead or silent database must fail requests, never hang them.
    connectionTimeoutMillis: 5_000,
    query_timeout: 15_000,
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...options,
  });
  // A client that loses its server emits 'error', idle in the pool or checked out in a transaction;
  // without a listener the process would exit. pg then discards the broken client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  return {
    kind: 'postgres',
    db,
    pool,
    prepared: async <Row>(name: string, text: string, values: unknown[]) => {
      const result = await pool.query({ name, text, values });
      return { rows: result.rows as Row[] };
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

/** PostgreSQL compiled to WASM, persisted in `dataDir`; one process owns the folder at a time. */
export async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const db = drizzlePglite(pglite, { schema }) as unknown as Database;
  return {
    kind: 'embedded',
    db,
    pglite,
    prepared: async <Row>(_name: string, text: string, values: unknown[]) => {
      const result = await pglite.query<Row>(text, values);
      return { rows: result.rows };
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pglite.close(),
  };
}
