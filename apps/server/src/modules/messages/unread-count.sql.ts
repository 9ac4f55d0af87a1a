import { messages } from '@chat/db';
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/** Columns (or expressions) of one membership, in whatever query computes its unread count. */
export interface MembershipColumns {
  conversationId: SQLWrapper;
  userId: SQLWrapper;
  /** conversations.last_seq */
  lastSeq: SQLWrapper;
  lastReadSeq: SQLWrapper;
  lastSentSeq: SQLWrapper;
}

/**
 * The one unread rule: messages above the read marker, minus deleted ones, minus the reader's own
 * live ones. Own messages sit above the marker only when a send could not move it (the sender's
 * client was missing earlier messages, see insertWithSeq), which last_sent_seq > last_read_seq
 * tells without a lookup; only then are they counted, so the common case costs one index probe
 * for deleted messages.
 */
export function unreadCountSql(m: MembershipColumns): SQL<number> {
  return sql<number>`greatest(0, ${m.lastSeq} - ${m.lastReadSeq}
    - (select count(*)::int from ${messages} dm
       where dm.conversation_id = ${m.conversationId} and dm.seq > ${m.lastReadSeq} and dm.deleted_at is not null)
    - case when ${m.lastSentSeq} > ${m.lastReadSeq} then (
        select count(*)::int from ${messages} om
        where om.conversation_id = ${m.conversationId} and om.seq > ${m.lastReadSeq} and om.sender_id = ${m.userId} and om.deleted_at is null
      ) else 0 end)::int`;
}
