import { Injectable } from '@nestjs/common';
import { type Database, type NewUserRow, type UserRow, users } from '@chat/db';
import { eq } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';

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
}
