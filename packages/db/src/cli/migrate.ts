import { resolve } from 'node:path';
import { connectPostgres, openEmbedded } from '../client';
import { runMigrations } from '../migrate';

/** `bun run db:migrate`: same target selection as the server (DATABASE_URL, else DATA_DIR). */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const handle = url ? connectPostgres(url) : await openEmbedded(resolve(process.env.DATA_DIR ?? '.data', 'pglite'));
  try {
    await runMigrations(handle);
    console.log(`migrations applied (${handle.kind})`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error('migration failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
