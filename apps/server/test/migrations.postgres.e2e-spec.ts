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

/** Every row of a table as JSON, in a stable order, leaving out `dropped` columns. */
async function tableRows(client: Client, table: string, orderBy: string, dropped: string[] = []): Promise<unknown[]> {
  const { rows } = await client.query<{ row: Record<string, unknown> }>(`select to_jsonb(t) as row from ${table} t order by ${orderBy}`);
  return rows.map(({ row }) => Object.fromEntries(Object.entries(row).filter(([column]) => !dropped.includes(column))));
}

describe('migration 0005 (constant writes per message) on a database with data', () => {
  let infra: TestInfra;
  let client: Client;
  let oldMigrations: string;

  beforeAll(async () => {
    infra = await createTestInfra('postgres');
    oldMigrations = migrationsUpTo(5);
    client = new Client({ connectionString: infra.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    if (oldMigrations) rmSync(oldMigrations, { recursive: true, force: true });
    await infra?.dispose();
  });

  it('keeps every row and every value but the per-member copies, and the list order with them', async () => {
    await migrate(drizzle(client), { migrationsFolder: oldMigrations });
    const applied = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(applied.rows[0].n).toBe(5);

    // A deployed database as 0004 left it: groups and a direct chat, a deleted group, a member who
    // left, messages (one edited, one deleted, one system), read markers and receipts.
    const {
      rows: [ann, ben, cat],
    } = await client.query<{ id: string }>(
      `insert into users (email, password_hash, display_name) values ('ann@example.com', 'x', 'Ann'), ('ben@example.com', 'x', 'Ben'), ('cat@example.com', 'x', 'Cat') returning id`,
    );
    const {
      rows: [gone, team, direct],
    } = await client.query<{ id: string }>(
      `insert into conversations (type, title, owner_id, participant_count, deleted_at, last_seq, last_activity_at, direct_key) values
         ('group', 'Gone', $1, 2, now(), 0, now() - interval '3 days', null),
         ('group', 'Team', $1, 2, null, 3, now() - interval '1 hour', null),
         ('direct', null, null, 2, null, 1, now() - interval '2 hours', $2)
       returning id`,
      [ann.id, [ann.id, ben.id].sort().join(':')],
    );
    await client.query(
      `insert into conversation_participants (conversation_id, user_id, role, left_at, last_read_seq, last_sent_seq, last_activity_at, conversation_deleted_at) values
         ($1, $4, 'owner', null, 0, 0, now() - interval '3 days', now()), ($1, $5, 'member', null, 0, 0, now() - interval '3 days', now()),
         ($2, $4, 'owner', null, 3, 3, now() - interval '1 hour', null), ($2, $5, 'member', null, 1, 0, now() - interval '1 hour', null),
         ($2, $6, 'member', now(), 0, 0, now() - interval '1 hour', null),
         ($3, $4, 'member', null, 1, 1, now() - interval '2 hours', null), ($3, $5, 'member', null, 0, 0, now() - interval '2 hours', null)`,
      [gone.id, team.id, direct.id, ann.id, ben.id, cat.id],
    );
    const { rows: stored } = await client.query<{ id: string }>(
      `insert into messages (conversation_id, seq, sender_id, content, content_type, system, client_message_id, edited_at, deleted_at) values
         ($1, 1, $3, 'hello', 'text', null, gen_random_uuid(), now(), null),
         ($1, 2, $4, '', 'text', null, gen_random_uuid(), null, now()),
         ($1, 3, $3, 'Ann renamed the group', 'system', '{"kind":"renamed","title":"Team","previousTitle":"T"}', gen_random_uuid(), null, null),
         ($2, 1, $3, 'hi Ben', 'text', null, gen_random_uuid(), null, null)
       returning id`,
      [team.id, direct.id, ann.id, ben.id],
    );
    await client.query(`update conversations c set last_message_id = m.id from messages m where m.conversation_id = c.id and m.seq = c.last_seq`);
    await client.query(`insert into read_receipts (message_id, user_id) values ($1, $2)`, [stored[0].id, ben.id]);
    await client.query(`insert into sessions (user_id, expires_at) values ($1, now() + interval '1 day')`, [ann.id]);

    const tables = [
      ['users', 'id', []],
      ['conversations', 'id', []],
      ['conversation_participants', 'conversation_id, user_id', ['last_activity_at', 'conversation_deleted_at']],
      ['messages', 'id', []],
      ['read_receipts', 'message_id, user_id', []],
      ['sessions', 'id', []],
    ] as const;
    const before = new Map<string, unknown[]>();
    for (const [table, order, dropped] of tables) before.set(table, await tableRows(client, table, order, [...dropped]));
    // Ann's list as 0004 ordered it: her copies of the activity time, deleted conversations left out.
    const listBefore = await client.query<{ id: string }>(
      `select conversation_id as id from conversation_participants
       where user_id = $1 and left_at is null and conversation_deleted_at is null order by last_activity_at desc, conversation_id desc`,
      [ann.id],
    );

    const handle = connectPostgres(infra.databaseUrl!);
    try {
      await runMigrations(handle);
    } finally {
      await handle.close();
    }

    // search_vector (0006) is derived from content, and the mention (0009), notification (0010),
    // reaction (0012) and thread (0013) columns are new: not changed values; checked below.
    const added = [
      'search_vector',
      'mentioned_user_ids',
      'mentions_everyone',
      'notify_direct',
      'notify_group',
      'notify_large_group',
      'push_preview',
      'notification_level',
      'muted_until',
      'reactions_version',
      'last_reply_seq',
      'thread_root_id',
      'reply_count',
      'last_reply_at',
      'thread_participant_ids',
    ];
    for (const [table, order] of tables) expect(await tableRows(client, table, order, added), table).toEqual(before.get(table));
    const mentions = await client.query(`select count(*)::int as n from messages where mentioned_user_ids <> '{}' or mentions_everyone`);
    expect(mentions.rows[0].n, 'messages from before mentions mention no one').toBe(0);
    const reacted = await client.query(`select count(*)::int as n from messages where reactions_version <> 0`);
    expect(reacted.rows[0].n, 'messages from before reactions have none').toBe(0);
    const threads = await client.query(
      `select (select count(*)::int from messages where thread_root_id is not null or reply_count <> 0 or last_reply_at is not null) as messages,
              (select count(*)::int from conversations where last_reply_seq <> 0) as conversations`,
    );
    expect(threads.rows[0], 'messages from before threads are neither replies nor roots').toEqual({ messages: 0, conversations: 0 });
    const defaults = await client.query(`select distinct notify_direct, notify_group, notify_large_group, push_preview from users`);
    expect(defaults.rows, 'existing users get the default levels').toEqual([
      { notify_direct: 'all', notify_group: 'all', notify_large_group: 'mentions', push_preview: true },
    ]);
    const levels = await client.query(
      `select count(*)::int as n from conversation_participants where notification_level is not null or muted_until is not null`,
    );
    expect(levels.rows[0].n, 'existing memberships follow their defaults, unmuted').toBe(0);
    await expect(client.query(`update users set notify_large_group = 'loud'`)).rejects.toThrow(/users_notify_large_group_check/);
    await expect(client.query(`update conversation_participants set notification_level = 'loud'`)).rejects.toThrow(/participants_notification_level_check/);
    const vectors = await client.query<{ content_type: string; deleted: boolean; indexed: boolean }>(
      `select content_type, deleted_at is not null as deleted, search_vector <> ''::tsvector as indexed from messages`,
    );
    for (const row of vectors.rows) expect(row.indexed, JSON.stringify(row)).toBe(row.content_type === 'text' && !row.deleted);
    const columns = await client.query(
      `select column_name from information_schema.columns where table_name = 'conversation_participants' and column_name in ('last_activity_at', 'conversation_deleted_at')`,
    );
    expect(columns.rowCount).toBe(0);
    const indexes = await client.query(`select indexname from pg_indexes where indexname in ('participants_user_activity_idx', 'conversations_activity_idx')`);
    expect(indexes.rowCount).toBe(0);
    const options = await client.query<{ relname: string; reloptions: string[] | null }>(
      `select relname, reloptions from pg_class where relname in ('conversations', 'conversation_participants') order by relname`,
    );
    expect(options.rows.map((row) => [row.relname, row.reloptions])).toEqual([
      ['conversation_participants', ['fillfactor=80']],
      ['conversations', ['fillfactor=80']],
    ]);
    // The same list, now read from the conversations themselves.
    const listAfter = await client.query<{ id: string }>(
      `select c.id from conversation_participants p join conversations c on c.id = p.conversation_id and c.deleted_at is null
       where p.user_id = $1 and p.left_at is null order by c.last_activity_at desc, c.id desc`,
      [ann.id],
    );
    expect(listAfter.rows).toEqual(listBefore.rows);
    expect(listAfter.rows.map((row) => row.id)).toEqual([team.id, direct.id]);
  });
});
