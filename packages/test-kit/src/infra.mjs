// Fresh, isolated infrastructure for one test file or benchmark run: a new PostgreSQL database and
// a Redis key prefix (or only a data folder, for the embedded mode), all removed by dispose().
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import pg from 'pg';

/** The real services: the machine's PostgreSQL and Redis unless overridden. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function withDatabase(url, dbName) {
  const parsed = new URL(url);
  parsed.pathname = `/${dbName}`;
  return parsed.toString();
}

/** Runs `run` with a client connected to `url`, closed after it. */
export async function withClient(url, run) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Runs `run` with a client on the administrative database `url`. */
export const withAdmin = (run, url = TEST_DATABASE_URL) => withClient(url, run);

export async function deleteRedisPrefix(prefix, redisUrl = TEST_REDIS_URL) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
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

/**
 * `embedded: true` gives only a data folder (PGlite and the in-process adapters); otherwise a new
 * database `<name>_<random>` on `databaseUrl`'s server and the Redis key prefix `<name>-<random>:`.
 */
export async function createInfra({ name = 'chat_test', embedded = false, databaseUrl = TEST_DATABASE_URL, redisUrl = TEST_REDIS_URL } = {}) {
  const id = randomBytes(6).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), `${name.replace(/_/g, '-')}-`));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (embedded) return { env: { DATA_DIR: dataDir }, dataDir, dispose: async () => removeDataDir() };

  const dbName = `${name.replace(/\W/g, '_')}_${id}`;
  await withAdmin((admin) => admin.query(`create database ${dbName}`), databaseUrl);
  const url = withDatabase(databaseUrl, dbName);
  const redisPrefix = `${name.replace(/_/g, '-')}-${id}:`;
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisPrefix },
    databaseUrl: url,
    redisUrl,
    redisPrefix,
    dataDir,
    dispose: async () => {
      await withAdmin((admin) => admin.query(`drop database if exists ${dbName} with (force)`), databaseUrl);
      await deleteRedisPrefix(redisPrefix, redisUrl);
      removeDataDir();
    },
  };
}
