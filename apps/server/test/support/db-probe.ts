import { randomUUID } from 'node:crypto';
import { conversationParticipants, conversations, type Database, messages, users } from '@chat/db';
import { type AnyColumn, eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
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

/**
 * Makes a group `extra` people bigger straight in the database, without registering them (members
 * that never sign in): far cheaper than sign-ups where only the group's size matters. Returns their ids.
 */
export async function addSilentMembers(t: TestApp, conversationId: string, extra: number): Promise<string[]> {
  const { db } = dbProbe(t);
  const rows = Array.from({ length: extra }, () => ({ id: randomUUID(), email: `${randomUUID()}@example.test`, passwordHash: 'x', displayName: 'Quiet' }));
  await db.insert(users).values(rows);
  await db.insert(conversationParticipants).values(rows.map((row) => ({ conversationId, userId: row.id })));
  await db
    .update(conversations)
    .set({ participantCount: sql`${conversations.participantCount} + ${extra}` })
    .where(eq(conversations.id, conversationId));
  return rows.map((row) => row.id);
}

/**
 * What a refused send must leave as it was: the conversation's last seq and message count, and the
 * count of its rows in each of `tables` (a table with a conversationId column, by the name to report).
 */
export async function writtenIn<K extends string>(t: TestApp, conversationId: string, tables: Record<K, PgTable & { conversationId: AnyColumn }>) {
  const { db } = dbProbe(t);
  const [conversation] = await db.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, conversationId));
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries<PgTable & { conversationId: AnyColumn }>(tables))
    counts[name] = await db.$count(table, eq(table.conversationId, conversationId));
  return { lastSeq: conversation.lastSeq, messages: await db.$count(messages, eq(messages.conversationId, conversationId)), ...(counts as Record<K, number>) };
}
