import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPostgres, migrationsFolder, runMigrations } from '@chat/db';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInfra, type TestInfra } from './support/infra';

interface Journal {
  entries: Array<{ idx: number; tag: string }>;
}

/** A migrations folder holding only the first `count` migrations, as a database deployed back then saw it. */
function migrationsUpTo(count: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'chat-migrations-'));
  mkdirSync(join(folder, 'meta'));
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
  const entries = journal.entries.slice(0, count);
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) copyFileSync(join(migrationsFolder, `${tag}.sql`), join(folder, `${tag}.sql`));
  return folder;
}

describe('migration 0003 (listed memberships) on a database with data', () => {
  let infra: TestInfra;
  let client: Client;
  let oldMigrations: string;

  beforeAll(async () => {
    infra = await createTestInfra('postgres');
    oldMigrations = migrationsUpTo(3);
    client = new Client({ connectionString: infra.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    if (oldMigrations) rmSync(oldMigrations, { recursive: true, force: true });
    await infra?.dispose();
  });

  it('copies deleted_at onto exactly the memberships of deleted conversations and rebuilds the list index without them', async () => {
    await migrate(drizzle(client), { migrationsFolder: oldMigrations });
    const applied = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(applied.rows[0]!.n).toBe(3);
    const before = await client.query("select 1 from information_schema.columns where table_name = 'conversation_participants' and column_name = 'conversation_deleted_at'");
    expect(before.rowCount).toBe(0);

    const deletedAt = '2026-01-02 03:04:05.123456+00';
    const {
      rows: [ann, ben, cat],
    } = await client.query<{ id: string }>(
      `insert into users (email, password_hash, display_name) values ('ann@example.com', 'x', 'Ann'), ('ben@example.com', 'x', 'Ben'), ('cat@example.com', 'x', 'Cat') returning id`,
    );
    const {
      rows: [deleted, live],
    } = await client.query<{ id: string }>(
      `insert into conversations (type, title, owner_id, participant_count, deleted_at) values ('group', 'Gone', $1, 2, $2), ('group', 'Here', $1, 2, null) returning id`,
      [ann!.id, deletedAt],
    );
    // Each conversation has a member who left; the backfill goes by conversation, not by membership state.
    await client.query(
      `insert into conversation_participants (conversation_id, user_id, role, left_at) values
         ($1, $3, 'owner', null), ($1, $4, 'member', null), ($1, $5, 'member', now()),
         ($2, $3, 'owner', null), ($2, $4, 'member', null), ($2, $5, 'member', now())`,
      [deleted!.id, live!.id, ann!.id, ben!.id, cat!.id],
    );

    const handle = connectPostgres(infra.databaseUrl!);
    try {
      await runMigrations(handle);
    } finally {
      await handle.close();
    }

    const { rows } = await client.query<{ conversation_id: string; user_id: string; mark: 'exact' | 'none' | 'other' }>(
      `select conversation_id, user_id,
              case when conversation_deleted_at is null then 'none' when conversation_deleted_at = $1::timestamptz then 'exact' else 'other' end as mark
       from conversation_participants`,
      [deletedAt],
    );
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const isDeleted = row.conversation_id === deleted!.id;
      expect(row.mark, `${isDeleted ? 'deleted' : 'live'} conversation, user ${row.user_id}`).toBe(isDeleted ? 'exact' : 'none');
    }

    const index = await client.query<{ indexdef: string }>("select indexdef from pg_indexes where indexname = 'participants_user_activity_idx'");
    expect(index.rows).toHaveLength(1);
    expect(index.rows[0]!.indexdef).toMatch(/WHERE \(\(left_at IS NULL\) AND \(conversation_deleted_at IS NULL\)\)/);
  });
});
