// The conversations-list data set, seeded with set-based SQL (one statement per step, no per-row
// round trips, same shape on every run through setseed): users, direct and group conversations,
// participants and long-tailed messages with a gapless seq. Benchmarks differ in the message text.

const now = () => performance.now();

/**
 * The message text: an SQL expression evaluated once per message row (`s` is the message's seq,
 * `random()` is seeded), with its bound parameters numbered from $3.
 */
const DEFAULT_CONTENT = {
  sql: `'Message ' || s || ' ' || left(repeat(md5(random()::text), 4), 8 + floor(random() * 110)::int)`,
  params: [],
};

/**
 * Seeds `config` (users, conversations, directConversations, messages, powerUserConversations,
 * powerUserDirect, editedShare, deletedShare, seed) around the two accounts made through the API:
 * `power` (ordinal 0) and `throwaway` (1). Ends with VACUUM ANALYZE, as autovacuum would have done.
 */
export async function seedConversations(client, { power, throwaway, config: C, content = DEFAULT_CONTENT, log = console.log }) {
  const groups = C.conversations - C.directConversations;
  const otherDirect = C.directConversations - C.powerUserDirect;
  const powerGroups = C.powerUserConversations - C.powerUserDirect;
  const t0 = new Date().toISOString();
  const steps = [];
  const step = async (label, sql, params = []) => {
    const started = now();
    const result = await client.query(sql, params);
    steps.push({ step: label, ms: Math.round(now() - started), rows: result.rowCount ?? null });
    log(`  ${label.padEnd(44)} ${String(Math.round(now() - started)).padStart(6)} ms`);
    return result;
  };

  await client.query(`set synchronous_commit = off`);
  await client.query(`set work_mem = '256MB'`);
  await client.query(`set maintenance_work_mem = '1GB'`);
  // Skips the per-row foreign-key triggers (2 per message); the data is consistent by
  // construction and validateDataset() checks it afterwards. Needs a superuser; without it the
  // seed is only slower.
  const replica = await client.query(`set session_replication_role = replica`).then(
    () => true,
    () => false,
  );
  await client.query(`select setseed($1)`, [C.seed]);

  // Users: ordinal n -> id. 0 is the power user, 1 the throwaway account; both came through the API.
  await step('temp: user ordinals', `create temp table bu (n int primary key, id uuid not null unique)`);
  await client.query(`insert into bu values (0, $1), (1, $2)`, [power.id, throwaway.id]);
  await step(
    `users (${C.users - 2})`,
    `with ids as (insert into bu select g, gen_random_uuid() from generate_series(2, $1::int - 1) g returning n, id)
     insert into users (id, email, password_hash, display_name, created_at, updated_at)
     select id, 'bench-user-' || n || '@example.com', 'bench-dummy-hash', 'Bench User ' || n,
            $2::timestamptz - interval '400 days', $2::timestamptz - interval '400 days'
     from ids`,
    [C.users, t0],
  );

  // Conversation plan: id, type, members (uuid[], owner first for groups), activity window.
  await step(
    'temp: conversation plan',
    `create temp table bc (
       k int primary key, id uuid not null, type conversation_type not null, members uuid[] not null default '{}',
       owner uuid, is_public boolean not null default false, created_at timestamptz, last_at timestamptz,
       w float8, n_msgs int not null default 0)`,
  );
  await step(
    `plan: power user directs (${C.powerUserDirect})`,
    `insert into bc (k, id, type, members)
     select row_number() over (), gen_random_uuid(), 'direct', array[$1::uuid, p.id]
     from (select id from bu where n >= 1 order by random() limit $2) p`,
    [power.id, C.powerUserDirect],
  );
  await step(
    `plan: other directs (${otherDirect})`,
    `insert into bc (k, id, type, members)
     select $1::int + row_number() over (), gen_random_uuid(), 'direct', array[a.id, b.id]
     from (
       select lo, hi from (
         select distinct least(x, y) lo, greatest(x, y) hi
         from (select 1 + floor(random() * ($3::int - 1))::int x, 1 + floor(random() * ($3::int - 1))::int y
               from generate_series(1, $2::int + 2000)) r
         where x <> y) pairs
       order by random() limit $2) s
     join bu a on a.n = s.lo join bu b on b.n = s.hi`,
    [C.powerUserDirect, otherDirect, C.users],
  );
  await step(
    `plan: groups (${groups})`,
    `insert into bc (k, id, type, is_public)
     select $1::int + g, gen_random_uuid(), 'group', random() < 0.1 from generate_series(1, $2::int) g`,
    [C.directConversations, groups],
  );
  // Group sizes 2..20, most of them small (mean ~5.3).
  await step(
    'plan: group sizes',
    `create temp table bg as
     select k, 2 + floor(19 * power(random(), 4))::int size, false with_power from bc where type = 'group'`,
  );
  await step(`plan: power user in ${powerGroups} groups`, `update bg set with_power = true where k in (select k from bg order by random() limit $1)`, [
    powerGroups,
  ]);
  // Members: random distinct users (from a few extra picks), the owner is the first one; the power
  // user owns a quarter of its groups.
  await step(
    'plan: group members',
    `create temp table bgm as
     with picks as (
       select bg.k, j, 1 + floor(random() * ($1::int - 1))::int n
       from bg cross join lateral generate_series(1, bg.size + 4) j),
     firsts as (select k, n, min(j) j from picks group by k, n),
     ranked as (select k, n, row_number() over (partition by k order by j) rn from firsts)
     select r.k, r.n, r.rn from ranked r join bg on bg.k = r.k
     where r.rn <= bg.size - case when bg.with_power then 1 else 0 end
     union all
     select k, 0, case when random() < 0.25 then 0 else size end from bg where with_power`,
    [C.users],
  );
  await step(
    'plan: group member arrays',
    `update bc set members = m.members, owner = m.members[1]
     from (select bgm.k, array_agg(bu.id order by bgm.rn) members from bgm join bu on bu.n = bgm.n group by bgm.k) m
     where bc.k = m.k`,
  );
  // Created within the last year; last activity skewed towards now; message weights long-tailed.
  await step('plan: activity windows', `update bc set created_at = $1::timestamptz - interval '365 days' * random(), w = power(random(), 4) + 0.0001`, [t0]);
  await step('plan: last activity', `update bc set last_at = $1::timestamptz - ($1::timestamptz - created_at) * power(random(), 2)`, [t0]);
  // Every conversation has at least one message; the rest is shared by weight, then the rounding
  // remainder goes to the heaviest ones so the total is exact.
  await step(
    'plan: messages per conversation',
    `update bc set n_msgs = 1 + floor(w / t.total * ($1::int - $2::int))::int from (select sum(w) total from bc) t`,
    [C.messages, C.conversations],
  );
  const { rows: remainderRows } = await client.query(`select $1::int - sum(n_msgs)::int rem from bc`, [C.messages]);
  await client.query(`update bc set n_msgs = n_msgs + 1 where k in (select k from bc order by w desc limit $1)`, [remainderRows[0].rem]);

  // The secondary indexes of messages are dropped for the bulk insert and rebuilt from their own
  // definitions (3x faster than maintaining them row by row); the primary key stays.
  const { rows: messageIndexes } = await client.query(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
     from pg_index i
     where i.indrelid = 'messages'::regclass and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
  );
  for (const index of messageIndexes) await client.query(`drop index ${index.name}`);

  // Messages: gapless seq 1..n per conversation, sent by a member, time-ordered inside the
  // conversation; inserted in global time order like real traffic. About 1 % are edited and
  // 0.5 % deleted a minute after being sent.
  await step(
    `messages (${C.messages.toLocaleString('en-US')})`,
    `insert into messages (id, conversation_id, seq, sender_id, content, content_type, client_message_id,
                           created_at, updated_at, edited_at, deleted_at)
     select gen_random_uuid(), conversation_id, seq, sender_id, content, 'text', gen_random_uuid(), ts,
            case when fate < $1::float8 + $2::float8 then ts + interval '1 minute' else ts end,
            case when fate < $1::float8 then ts + interval '1 minute' end,
            case when fate >= $1::float8 and fate < $1::float8 + $2::float8 then ts + interval '1 minute' end
     from (
       select bc.id conversation_id, s seq,
              bc.members[1 + floor(random() * cardinality(bc.members))::int] sender_id,
              ${content.sql} content,
              bc.created_at + (bc.last_at - bc.created_at) * ((s - random()) / bc.n_msgs) ts,
              random() fate
       from bc cross join lateral generate_series(1, bc.n_msgs) s) m
     order by m.ts`,
    [C.editedShare, C.deletedShare, ...content.params],
  );
  const rebuildStarted = now();
  for (const index of messageIndexes) await client.query(index.definition);
  steps.push({ step: 'rebuild message indexes', ms: Math.round(now() - rebuildStarted), indexes: messageIndexes.map((i) => i.name) });
  log(`  ${`rebuild ${messageIndexes.length} message indexes`.padEnd(44)} ${String(Math.round(now() - rebuildStarted)).padStart(6)} ms`);
  // Conversations carry their newest message: last_seq, last_message_id, last_activity_at.
  await step(
    `conversations (${C.conversations.toLocaleString('en-US')})`,
    `insert into conversations (id, type, title, owner_id, direct_key, is_public, last_seq, last_message_id,
                                participant_count, last_activity_at, created_at, updated_at)
     select bc.id, bc.type,
            case when bc.type = 'group' then 'Group ' || bc.k end,
            bc.owner,
            case when bc.type = 'direct'
                 then least(bc.members[1], bc.members[2])::text || ':' || greatest(bc.members[1], bc.members[2])::text end,
            bc.is_public, bc.n_msgs, m.id, cardinality(bc.members), m.created_at, bc.created_at, m.created_at
     from bc join messages m on m.conversation_id = bc.id and m.seq = bc.n_msgs`,
  );
  // Participants: 70 % have read everything, the others are somewhere behind.
  await step(
    'participants',
    `insert into conversation_participants (conversation_id, user_id, role, joined_at, last_read_seq, last_read_at)
     select id, user_id, role, created_at, read_seq,
            case when read_seq > 0 then created_at + (last_at - created_at) * (read_seq::float8 / n_msgs) end
     from (
       select bc.id, m.user_id, bc.created_at, bc.last_at, bc.n_msgs,
              (case when bc.type = 'group' and m.user_id = bc.owner then 'owner' else 'member' end)::participant_role role,
              case when random() < 0.7 then bc.n_msgs else floor(random() * bc.n_msgs)::int end read_seq
       from bc cross join lateral unnest(bc.members) as m(user_id)) p`,
  );
  if (replica) await client.query(`set session_replication_role = origin`);
  await client.query(`drop table bgm, bg, bc, bu`);
  // What autovacuum would have done by now: statistics for the planner and a visibility map.
  await step('vacuum analyze', `vacuum (analyze)`);
  // A concurrent autovacuum/autoanalyze snapshot can keep VACUUM from marking the newest pages
  // all-visible (no index-only scans then); vacuum those tables again until it sticks.
  for (let round = 0; round < 3; round++) {
    const { rows } = await client.query(
      `select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and c.relpages > 0 and c.relallvisible < c.relpages * 0.95`,
    );
    if (rows.length === 0) break;
    await new Promise((done) => setTimeout(done, 500));
    await step(`vacuum again: ${rows.map((r) => r.relname).join(', ')}`, `vacuum ${rows.map((r) => `"${r.relname}"`).join(', ')}`);
  }
  const { rows: visibility } = await client.query(
    `select relname, relpages, relallvisible from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and c.relpages > 0 order by relname`,
  );
  return { steps, foreignKeyTriggersSkipped: replica, visibility };
}

/** Row counts and the invariants the server relies on; throws when the seed is inconsistent. */
export async function validateConversationDataset(client, power) {
  const { rows: counts } = await client.query(
    `select (select count(*) from users)::int users,
            (select count(*) from conversations)::int conversations,
            (select count(*) from conversations where type = 'direct')::int direct_conversations,
            (select count(*) from conversations where type = 'group')::int group_conversations,
            (select count(*) from conversation_participants)::int conversation_participants,
            (select count(*) from messages)::int messages,
            (select count(*) from messages where edited_at is not null)::int edited_messages,
            (select count(*) from messages where deleted_at is not null)::int deleted_messages,
            (select count(*) from sessions)::int sessions,
            (select count(*) from refresh_tokens)::int refresh_tokens,
            (select count(*) from read_receipts)::int read_receipts,
            (select min(participant_count) from conversations)::int min_participants,
            (select max(participant_count) from conversations)::int max_participants,
            (select max(last_seq) from conversations)::int max_messages_in_conversation,
            (select count(*) from conversation_participants where user_id = $1 and left_at is null)::int power_user_conversations`,
    [power.id],
  );
  const { rows: problems } = await client.query(
    `select
       (select count(*) from (select conversation_id, count(*) n, min(seq) lo, max(seq) hi, max(created_at) newest
                              from messages group by conversation_id) s
          join conversations c on c.id = s.conversation_id
          where s.n <> c.last_seq or s.lo <> 1 or s.hi <> c.last_seq or s.newest <> c.last_activity_at)::int bad_seq_or_activity,
       (select count(*) from conversations c left join messages m on m.id = c.last_message_id
          where m.id is null or m.conversation_id <> c.id or m.seq <> c.last_seq)::int bad_last_message,
       (select count(*) from (select conversation_id, count(*) n from conversation_participants group by conversation_id) p
          join conversations c on c.id = p.conversation_id where p.n <> c.participant_count)::int bad_participant_count,
       (select count(*) from messages m left join conversation_participants p
          on p.conversation_id = m.conversation_id and p.user_id = m.sender_id where p.user_id is null)::int sender_not_participant,
       (select count(*) from conversation_participants p left join users u on u.id = p.user_id where u.id is null)::int orphan_participants,
       (select count(*) from conversations where type = 'direct' and (direct_key is null or participant_count <> 2))::int bad_direct`,
  );
  const bad = Object.entries(problems[0]).filter(([, n]) => n !== 0);
  if (bad.length > 0) throw new Error(`seeded data is inconsistent: ${bad.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  const { rows: sizes } = await client.query(
    `select relname, pg_size_pretty(pg_total_relation_size(c.oid)) total_size
     from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
     where ns.nspname = 'public' and relkind = 'r' order by pg_total_relation_size(c.oid) desc`,
  );
  return { ...counts[0], tableSizes: Object.fromEntries(sizes.map((r) => [r.relname, r.total_size])) };
}
