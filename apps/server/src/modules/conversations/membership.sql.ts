import { conversationParticipants as participants, conversations, messageMentions, messages, readReceipts, threadFollows, users } from '@chat/db';
import { RECEIPT_BATCH_THRESHOLD } from '@chat/shared';
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/** Columns (or expressions) of one membership, in whatever query computes its unread count. */
export interface MembershipColumns {
  conversationId: SQLWrapper;
  userId: SQLWrapper;
  /** conversations.last_seq */
  lastSeq: SQLWrapper;
  lastReadSeq: SQLWrapper;
  lastSentSeq: SQLWrapper;
  /** conversations.last_reply_seq */
  lastReplySeq: SQLWrapper;
}

/**
 * The one unread rule: messages above the read marker, minus deleted ones, minus the reader's own
 * live ones. Own messages sit above the marker only when a send could not move it (the sender's
 * client was missing earlier messages, see MessageRepository.insertWithSeq), which last_sent_seq >
 * last_read_seq tells without a lookup; only then are they counted, so the common case costs one
 * index probe for deleted messages.
 * Thread replies are not unread in the conversation (a follower counts them per thread): when the
 * conversation's newest reply is above the marker (last_reply_seq says so without a lookup), the
 * live replies of others above it are subtracted too (the reader's own are in the term above).
 */
export function unreadCountSql(m: MembershipColumns): SQL<number> {
  return sql<number>`greatest(0, ${m.lastSeq} - ${m.lastReadSeq}
    - (select count(*)::int from ${messages} dm
       where dm.conversation_id = ${m.conversationId} and dm.seq > ${m.lastReadSeq} and dm.deleted_at is not null)
    - case when ${m.lastSentSeq} > ${m.lastReadSeq} then (
        select count(*)::int from ${messages} om
        where om.conversation_id = ${m.conversationId} and om.seq > ${m.lastReadSeq} and om.sender_id = ${m.userId} and om.deleted_at is null
      ) else 0 end
    - case when ${m.lastReplySeq} > ${m.lastReadSeq} then (
        select count(*)::int from ${messages} rm
        where rm.conversation_id = ${m.conversationId} and rm.seq > ${m.lastReadSeq} and rm.thread_root_id is not null and rm.deleted_at is null
          and rm.sender_id <> ${m.userId}
      ) else 0 end)::int`;
}

/**
 * The one mention rule, beside the unread one: unread messages that mention the reader, i.e. their
 * message_mentions rows above the marker (rows exist only for live messages and never for the
 * sender), plus the live @everyone messages of others above it that have no row of theirs (so a
 * message naming them and everyone counts once). Both are index range reads of a few rows.
 * A mention in a thread reply counts until the reader's marker of that thread passes it (the one
 * mentioned follows the thread; unfollowing stops counting it). @everyone in a reply means the
 * thread's followers: it counts for a follower until their marker of that thread passes it (read
 * from the reader's oldest thread marker in the conversation, so the index range stays short).
 */
export function mentionCountSql(m: MembershipColumns): SQL<number> {
  return sql<number>`((select count(*)::int from ${messageMentions} mm
       where mm.user_id = ${m.userId} and mm.conversation_id = ${m.conversationId} and mm.seq > ${m.lastReadSeq} and mm.thread_root_id is null)
    + (select count(*)::int from ${messageMentions} tm join ${threadFollows} tf on tf.root_id = tm.thread_root_id and tf.user_id = tm.user_id
       where tm.user_id = ${m.userId} and tm.conversation_id = ${m.conversationId} and tm.thread_root_id is not null and tm.seq > tf.last_read_seq)
    + (select count(*)::int from ${messages} em
       where em.conversation_id = ${m.conversationId} and em.seq > ${m.lastReadSeq} and em.mentions_everyone and em.deleted_at is null
         and em.sender_id <> ${m.userId} and em.thread_root_id is null
         and not exists (select 1 from ${messageMentions} me where me.user_id = ${m.userId} and me.conversation_id = em.conversation_id and me.seq = em.seq))
    + (select count(*)::int from ${messages} et join ${threadFollows} etf on etf.root_id = et.thread_root_id and etf.user_id = ${m.userId}
       where et.conversation_id = ${m.conversationId} and et.mentions_everyone and et.deleted_at is null and et.thread_root_id is not null
         and et.seq > etf.last_read_seq and et.sender_id <> ${m.userId}
         -- A range of the @everyone index from the reader's oldest thread marker here (none when they follow no thread of it).
         and et.seq > (select min(mf.last_read_seq) from ${threadFollows} mf where mf.user_id = ${m.userId} and mf.conversation_id = ${m.conversationId})
         and not exists (select 1 from ${messageMentions} me where me.user_id = ${m.userId} and me.conversation_id = et.conversation_id and me.seq = et.seq)))::int`;
}

export interface ReadRequest {
  userId: string;
  conversationId: string;
  messageId: string;
}

/** One row per request of readMarkersSql, as the driver returns it. */
export interface ReadOutcomeRow {
  n: string | number;
  live: boolean;
  member: boolean;
  seq: string | number | null;
  participant_count: number | null;
  read_receipts_enabled: boolean | null;
  last_read_seq: string | number | null;
  unread_count: number | null;
  mention_count: number | null;
  moved_at: Date | string | null;
}

/**
 * Many reads in ONE statement (one round trip per batch): checks each request (conversation live,
 * reader a member, message in that conversation), moves each reader's marker forward to the furthest
 * message read in the batch (never back: the row is re-checked under its lock), logs the move in
 * read_receipts for small conversations, and answers each request with the reader's read state (unread and mention counts).
 * Read markers commit without waiting for the WAL flush: a crash can lose the last fraction of a
 * second of marker moves (the clients read again and markers only move forward), and reads stop
 * queueing on fsyncs in front of messages, which always commit durably. The setting is local to
 * this statement's own transaction.
 */
export function readMarkersSql(requests: ReadRequest[]): SQL {
  const column = (pick: (r: ReadRequest) => string) => sql.param(requests.map(pick));
  const answered: MembershipColumns = {
    conversationId: sql`a.conversation_id`,
    userId: sql`a.user_id`,
    lastSeq: sql`a.last_seq`,
    lastReadSeq: sql`a.last_read_seq`,
    lastSentSeq: sql`a.sent_marker`,
    lastReplySeq: sql`a.last_reply_seq`,
  };
  return sql`
    with relaxed as materialized (
      select set_config('synchronous_commit', 'off', true)
    ), input as (
      select i.* from relaxed, unnest(${column((r) => r.userId)}::uuid[], ${column((r) => r.conversationId)}::uuid[], ${column((r) => r.messageId)}::uuid[])
        with ordinality as i(user_id, conversation_id, message_id, n)
    ), resolved as (
      select i.n, i.user_id, i.conversation_id, i.message_id,
             c.id is not null as live, c.participant_count, c.last_seq, c.last_reply_seq,
             p.user_id is not null as member, p.last_read_seq as marker, p.last_sent_seq as sent_marker,
             m.seq, u.read_receipts_enabled
      from input i
      left join ${conversations} c on c.id = i.conversation_id and c.deleted_at is null
      left join ${participants} p on p.conversation_id = c.id and p.user_id = i.user_id and p.left_at is null
      left join ${messages} m on m.id = i.message_id and m.conversation_id = c.id
      left join ${users} u on u.id = i.user_id
    ), targets as (
      select user_id, conversation_id, max(seq) as seq from resolved where member and seq is not null group by user_id, conversation_id
    ), locked as (
      -- In the membership lock order (see MembershipRepository). A locked row is its latest version,
      -- so "current" is exact even when a concurrent batch moved the marker after this statement began.
      select p.conversation_id, p.user_id, t.seq, p.last_read_seq as current, p.last_sent_seq as sent from ${participants} p
      join targets t on t.conversation_id = p.conversation_id and t.user_id = p.user_id
      where p.left_at is null
      order by p.conversation_id, p.user_id
      for update of p
    ), moved as (
      update ${participants} p set last_read_seq = l.seq, last_read_at = now()
      from locked l
      where p.conversation_id = l.conversation_id and p.user_id = l.user_id and p.last_read_seq < l.seq
      returning p.conversation_id, p.user_id, p.last_read_seq, p.last_read_at
    ), logged as (
      insert into ${readReceipts} (message_id, user_id, read_at)
      select distinct r.message_id, mv.user_id, mv.last_read_at
      from moved mv join resolved r on r.conversation_id = mv.conversation_id and r.user_id = mv.user_id and r.seq = mv.last_read_seq
      where r.participant_count < ${RECEIPT_BATCH_THRESHOLD}
      on conflict do nothing
    ), answered as (
      -- A reader whose membership row was gone by the time it was locked (they left while this
      -- statement waited) read nothing: not a member, rather than an ok with an unmoved marker.
      select r.n, r.conversation_id, r.user_id, coalesce(l.sent, r.sent_marker) as sent_marker, r.live, r.seq, r.participant_count, r.read_receipts_enabled, r.last_seq, r.last_reply_seq,
             r.member and (r.seq is null or l.user_id is not null) as member,
             coalesce(mv.last_read_seq, l.current, r.marker) as last_read_seq,
             case when mv.last_read_seq = r.seq then mv.last_read_at end as moved_at
      from resolved r
      left join locked l on l.conversation_id = r.conversation_id and l.user_id = r.user_id
      left join moved mv on mv.conversation_id = r.conversation_id and mv.user_id = r.user_id
    )
    select a.n, a.live, a.member, a.seq, a.participant_count, a.read_receipts_enabled, a.last_read_seq, a.moved_at,
           case when a.member then ${unreadCountSql(answered)} end as unread_count,
           case when a.member then ${mentionCountSql(answered)} end as mention_count
    from answered a
    order by a.n`;
}

/**
 * True when the user is a current participant of the conversation and it is not deleted: what
 * ConversationsService.requireParticipant checks, as one condition another read can carry, so a
 * read that the check guards needs no round trip of its own (the caller tells 403 from 404 only
 * when the guarded read comes back empty). Give it parameters: in a select list Drizzle renders a
 * column unqualified, which the subquery would take for its own.
 */
export function isCurrentParticipantSql(conversationId: SQLWrapper, userId: SQLWrapper): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${participants} cp join ${conversations} cc on cc.id = cp.conversation_id
    where cp.conversation_id = ${conversationId} and cp.user_id = ${userId} and cp.left_at is null and cc.deleted_at is null)`;
}
