import { Injectable } from '@nestjs/common';
import { type Database, type Executor, type NewUserRow, type UserRow, users } from '@chat/db';
import type { PublicUser } from '@chat/shared';
import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import type { SettingsColumns } from './user.mapper';

@Injectable()
export class UserRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /** Inserts unless the email is taken; returns null on a duplicate (the unique index decides, not a read). */
  async insertIfEmailFree(row: NewUserRow): Promise<UserRow | null> {
    const [created] = await this.db.insert(users).values(row).onConflictDoNothing({ target: users.email }).returning();
    return created ?? null;
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.email, email)).limit(1);
    return row ?? null;
  }

  async findById(id: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id)).limit(1);
    return row ?? null;
  }

  /** Which of `ids` exist. */
  async existingIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.select({ id: users.id }).from(users).where(inArray(users.id, ids));
    return rows.map((row) => row.id);
  }

  /** Names as they are now, in the order of `ids` (unknown ids left out). */
  async publicUsers(ids: string[], db: Executor = this.db): Promise<PublicUser[]> {
    if (ids.length === 0) return [];
    const rows = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Display-name prefix (case-insensitive, on the prefix index) or exact email; never the caller. */
  search(query: string, excludeId: string, limit: number) {
    const prefix = `${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .select({ id: users.id, displayName: users.displayName })
      .from(users)
      .where(and(ne(users.id, excludeId), or(sql`lower(${users.displayName}) like ${prefix}`, eq(users.email, query.toLowerCase()))))
      .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id))
      .limit(limit);
  }

  async updateDisplayName(id: string, displayName: string): Promise<UserRow | null> {
    const [row] = await this.db.update(users).set({ displayName, updatedAt: new Date() }).where(eq(users.id, id)).returning();
    return row ?? null;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const rows = await this.db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, id)).returning({ id: users.id });
    return rows.length > 0;
  }

  async updateSettings(id: string, changes: SettingsColumns): Promise<UserRow | null> {
    const [row] = await this.db
      .update(users)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    return row ?? null;
  }
}
