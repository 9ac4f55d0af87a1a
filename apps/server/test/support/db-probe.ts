import { type Database, users } from '@chat/db';
import { eq } from 'drizzle-orm';
import { DB } from '../../src/infra/database/database.module';
import type { TestApp } from './test-app';

/** Reads the database under a test app directly, to check what was (not) written. */
export function dbProbe(t: TestApp) {
  const db = t.app.get<Database>(DB);
  return {
    db,
    countUsers: () => db.$count(users),
    passwordHashOf: async (email: string) => {
      const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, email));
      return row?.hash ?? '';
    },
  };
}
