import { createInfra, TEST_DATABASE_URL, TEST_REDIS_URL, withDatabase } from '@chat/test-kit';

export { TEST_DATABASE_URL, TEST_REDIS_URL, withDatabase };

export type TestInfraMode = 'postgres' | 'embedded';

export const infraMode = (): TestInfraMode => (process.env.TEST_INFRA === 'embedded' ? 'embedded' : 'postgres');

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
export const createTestInfra = (mode: TestInfraMode = infraMode()): Promise<TestInfra> => createInfra({ embedded: mode === 'embedded' });
