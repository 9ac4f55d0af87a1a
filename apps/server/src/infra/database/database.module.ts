import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { connectPostgres, type Database, type DatabaseHandle, openEmbedded, runMigrations } from '@chat/db';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';

export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');
/** Injection token for the Drizzle database; only repositories inject it. */
export const DB = Symbol('DB');
export const InjectDb = () => Inject(DB);

export async function openDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const handle = config.databaseUrl
    ? connectPostgres(config.databaseUrl, { max: config.databasePoolSize })
    : await openEmbedded(join(config.dataDir, 'pglite'));
  await runMigrations(handle);
  return handle;
}

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_HANDLE) private readonly handle: DatabaseHandle) {}

  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

@Global()
@Module({
  providers: [
    { provide: DATABASE_HANDLE, inject: [AppConfig], useFactory: openDatabase },
    { provide: DB, inject: [DATABASE_HANDLE], useFactory: (handle: DatabaseHandle): Database => handle.db },
    DatabaseLifecycle,
  ],
  exports: [DATABASE_HANDLE, DB],
})
export class DatabaseModule {}
