import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

export type TestInfraMode = 'postgres' | 'embedded';

export const infraMode = (): TestInfraMode => (process.env.TEST_INFRA === 'embedded' ? 'embedded' : 'postgres');

/** The real services: the machine's PostgreSQL and Redis unless overridden. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestInfra {
  /** Environment variables that point a server at this infrastructure. */
  env: Record<string, string>;
  databaseUrl?: string;
  dispose(): Promise<void>;
}

/**
 * Fresh, isolated infrastructure per test file: a new PostgreSQL database and a Redis key prefix,
 * or a new embedded data folder.
 */
export async function createTestInfra(mode: TestInfraMode = infraMode()): Promise<TestInfra> {
  const id = randomBytes(6).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-test-'));
  if (mode === 'embedded') {
    return { env: { DATA_DIR: dataDir }, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const dbName = `chat_test_${id}`;
  await withAdmin((admin) => admin.query(`create database ${dbName}`));
  const databaseUrl = withDatabase(TEST_DATABASE_URL, dbName);
  const prefix = `chat-test-${id}:`;
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix },
    databaseUrl,
    dispose: async () => {
      await withAdmin((admin) => admin.query(`drop database if exists ${dbName} with (force)`));
      await deleteRedisPrefix(prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function withDatabase(url: string, dbName: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${dbName}`;
  return parsed.toString();
}

async function withAdmin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
