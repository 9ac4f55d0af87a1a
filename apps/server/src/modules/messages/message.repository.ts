import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  conversationParticipants,
  conversations,
  type Database,
  type DatabaseHandle,
  type Executor,
  files,
  messageMentions,
  messageReactions,
  type MessageRow,
  messageColumns,
  messages,
  threadFollows,
  users,
} from '@chat/db';
import { EVERYONE_MENTION_OPEN_MAX, type Mentions, type PublicUser, type SystemEvent, systemEventText, type ThreadSummary } from '@chat/shared';
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, notInArray, or, type SQL, sql } from 'drizzle-orm';
import { DATABASE_HANDLE, InjectDb } from '../../infra/database/database.module';
import { isUniqueViolation } from '../../common/errors/error-classes';
import { type AttachedFile, attachedFilesJsonSql, attachFilesSql, deleteFilesOfMessage, uuidArrayLiteral } from '../files/file.repository';
import type { StoredObjects } from '../files/stored-objects';
import { isCurrentParticipantSql } from '../conversations/membership.sql';
import { type MentionFacts, type MentionRefusal, mentionRefusal } from './mention-rules';

export type MessageWithSender = MessageRow & { senderName: string };

export type InsertOutcome =
  /** `thread`: with a reply, its root's summary after it. */
  | { kind: 'created'; message: MessageWithSender; files: AttachedFile[]; thread: ThreadSummary | null }
  | { kind: 'duplicate' }
  /**
   * Nothing was written: the conversation is gone, the sender is not (or no longer) in it, or an
   * attachment is not a free file of the sender's (or was taken by the first try of this very send),
   * or a mention breaks a rule (see mentionRefusal), or the thread root is not one (see isThreadRoot).
   */
  | { kind: 'refused' };

export type EditOutcome =
  | { kind: 'edited'; message: MessageWithSender }
  /** Not the sender's live text in that conversation, or the edit window has passed. */
  | { kind: 'refused' }
  /** The message could be edited, but the new mentions break a rule; nothing changed. */
  | { kind: 'mentions-refused'; refusal: MentionRefusal };

/** A row of the send statement, as the driver returns it (bigints may come back as strings). */
interface InsertedRow extends Record<string, unknown> {
  id: string;
  conversation_id: string;
  seq: number | string;
  sender_id: string;
  content: string;
  content_type: 'text' | 'system';
  system: MessageWithSender['system'];
  client_message_id: string;
  created_at: Date | string;
  updated_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  mentioned_user_ids: string[];
  mentions_everyone: boolean;
  thread_root_id: string | null;
  sender_name: string;
  /** The attached files as JSON (attachFilesSql's attachedJson); null when the send has none. */
  attachments: AttachedFile[] | null;
  /** With a reply: its root's summary after it, as JSON. */
  thread_summary: { replyCount: number; lastReplyAt: string; participantIds: string[] } | null;
}

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

function fromInsertedRow(row: InsertedRow): MessageWithSender {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    content: row.content,
    contentType: row.content_type,
    system: row.system,
    clientMessageId: row.client_message_id,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    editedAt: row.edited_at === null ? null : toDate(row.edited_at),
    deletedAt: row.deleted_at === null ? null : toDate(row.deleted_at),
    mentionedUserIds: row.mentioned_user_ids,
    mentionsEveryone: row.mentions_everyone,
    // A message is stored with no reactions.
    reactionsVersion: 0,
    threadRootId: row.thread_root_id,
    // A message just stored has no replies of its own.
    replyCount: 0,
    lastReplyAt: null,
    threadParticipantIds: [],
    senderName: row.sender_name,
  };
}

/** A root is a live text message that is not itself a reply (threads are one level deep). */
export const isThreadRoot = (row: MessageRow): boolean => row.threadRootId === null && row.contentType === 'text' && row.deletedAt === null;

const withSender = {
  message: messageColumns,
  senderName: users.displayName,
};

const toMessageWithSender = (row: { message: MessageRow; senderName: string }): MessageWithSender => ({ ...row.message, senderName: row.senderName });

/**
 * The send, in ONE statement (one round trip, atomic; prepared once per connection). It is the one
 * place a repository writes tables it does not own (conversations, conversation_participants): a
 * send must be a single round trip, so the statement stays whole here and follows the owners' rules
 * (ConversationRepository's seq, MembershipRepository's lock order). It writes O(1) rows whatever
 * the room size (plus one per attached file):
 * 1. bump conversations.last_seq — its row lock orders concurrent senders, so seqs are gapless and
 *    strictly increasing — and record the last message and activity, but only if the sender is a
 *    current participant;
 * 2. insert the message with that seq;
 * 3. the sender's own membership row only: record last_sent_seq and move their read marker over
 *    the new message S only when their client holds everything before it (`readUpToSeq` >= S - 1),
 *    else only up to `readUpToSeq`, so messages the sender never received stay unread. Without
 *    `readUpToSeq` (older clients, plain HTTP callers) the marker moves to S.
 * No other member's row is written or locked: readers never queue behind sends, and unread counts
 * come from conversations.last_seq minus each reader's marker.
 * A (sender, clientMessageId) that already exists violates the unique index, which aborts the
 * whole statement, the seq bump included: a duplicate leaves no gap.
 * 4. with files only: attach them (FileRepository's attachFilesSql): one row per file, the sender's
 *    own files only. Unless every asked file is claimed, step 1 writes nothing, so nothing else is.
 * 5. with mentions only: step 1 also requires the mention rules (mentionsAllowedSql), and the
 *    message gets one message_mentions row per mentioned user but the sender: O(mentioned users),
 *    never O(members).
 * 6. with a thread root only (a reply): step 1 also requires the root (a live text message of this
 *    conversation that is not a reply) and records last_reply_seq instead of the last message and
 *    activity (the main list and its unread count leave replies out); the sender's conversation
 *    marker stays (only last_sent_seq moves); the root's summary is updated — the conversation row
 *    lock taken in step 1 orders concurrent repliers, so the count is exact — and the sender, the
 *    root's author and everyone mentioned follow the thread (O(mentioned + 1) rows), the sender
 *    with their thread marker on the reply.
 * Each shape (files, mentions, thread: each or not) is its own prepared statement, so a plain send
 * pays nothing for any feature.
 * $1 message id, $2 conversation, $3 sender, $4 content, $5 clientMessageId, $6 readUpToSeq or null
 * (not for a reply), then, in this order and only when the shape has them: the attachment ids (a uuid[] literal), the
 * mentioned user ids (a uuid[] literal) and everyone, the thread root id.
 */
function insertMessageSql(shape: SendShape): string {
  // A reply has no readUpToSeq (it leaves the sender's conversation marker), so its next parameter is $6.
  let next = shape.thread ? 6 : 7;
  const attach = shape.files ? attachFilesSql({ messageId: '$1', conversationId: '$2', senderId: '$3', fileIds: `$${next++}` }) : null;
  const mention = shape.mentions ? { userIds: `$${next++}`, everyone: `$${next++}` } : null;
  const root = shape.thread ? `$${next}::uuid` : null;
  return `
  with ${attach ? `${attach.claimed}, ` : ''}bumped as (
    update conversations
    set last_seq = last_seq + 1, ${root ? 'last_reply_seq = last_seq + 1' : 'last_message_id = $1, last_activity_at = now()'}, updated_at = now()
    where id = $2 and deleted_at is null
      and exists (select 1 from conversation_participants where conversation_id = $2 and user_id = $3 and left_at is null)${
        attach
          ? `
      and ${attach.claimedAll}`
          : ''
      }${mention ? mentionsAllowedSql(mention) : ''}${
        root
          ? `
      and exists (select 1 from messages r where r.id = ${root} and r.conversation_id = $2 and r.thread_root_id is null
        and r.content_type = 'text' and r.deleted_at is null)`
          : ''
      }
    returning last_seq
  ), inserted as (
    insert into messages (id, conversation_id, seq, sender_id, content, client_message_id, created_at, updated_at${mention ? ', mentioned_user_ids, mentions_everyone' : ''}${root ? ', thread_root_id' : ''})
    select $1, $2, last_seq, $3, $4, $5, now(), now()${mention ? `, ${mention.userIds}::uuid[], ${mention.everyone}::boolean` : ''}${root ? `, ${root}` : ''} from bumped
    returning id, conversation_id, seq, sender_id, content, content_type, system, client_message_id, created_at, updated_at, edited_at, deleted_at,
      mentioned_user_ids::text[] as mentioned_user_ids, mentions_everyone, thread_root_id
  ), ${root ? threadRepliedSql(root, mention) : senderMarkerSql}${attach ? `, ${attach.attached}` : ''}${mention ? mentionsRecordedSql(mention, root) : ''}
  select inserted.*, (select display_name from users where id = $3) as sender_name, ${attach ? attach.attachedJson : 'null'} as attachments,
    ${root ? `(select json_build_object('replyCount', reply_count, 'lastReplyAt', last_reply_at, 'participantIds', thread_participant_ids) from root_summary)` : 'null'} as thread_summary
  from inserted`;
}

/** Step 3 of a message of the main list: the sender's marker and last_sent_seq. */
const senderMarkerSql = `sender_marker as (
    select seq, case when $6::bigint is null or $6::bigint >= seq - 1 then seq else least($6::bigint, seq - 1) end as target
    from inserted
  ), sender_row as (
    update conversation_participants p
    set last_read_seq = greatest(p.last_read_seq, m.target),
        last_read_at = case when m.target > p.last_read_seq then now() else p.last_read_at end,
        last_sent_seq = greatest(p.last_sent_seq, m.seq)
    from sender_marker m
    where p.conversation_id = $2 and p.user_id = $3
  )`;

/**
 * Step 3 and 6 of a reply: the sender's last_sent_seq only (a reply leaves their conversation
 * marker), the root's summary, and the follows. A follower new to the thread starts at the root,
 * so every reply of others is unread for them; the sender's own thread marker moves to the reply.
 */
function threadRepliedSql(root: string, mention: { userIds: string } | null): string {
  return `sender_row as (
    update conversation_participants p set last_sent_seq = greatest(p.last_sent_seq, i.seq)
    from inserted i
    where p.conversation_id = $2 and p.user_id = $3
  ), root_summary as (
    update messages r
    set reply_count = r.reply_count + 1, last_reply_at = i.created_at, updated_at = now(),
        thread_participant_ids = case when $3 = any(r.thread_participant_ids) or cardinality(r.thread_participant_ids) >= ${THREAD_PARTICIPANTS_SHOWN}
          then r.thread_participant_ids else array_append(r.thread_participant_ids, $3::uuid) end
    from inserted i
    where r.id = ${root}
    returning r.sender_id as root_sender_id, r.seq as root_seq, r.reply_count, r.last_reply_at, r.thread_participant_ids::text[] as thread_participant_ids
  ), followed as (
    insert into thread_follows (root_id, user_id, conversation_id, last_read_seq, created_at)
    select ${root}, f.user_id, $2, case when f.user_id = $3 then i.seq else s.root_seq end, now()
    from inserted i, root_summary s, (
      select $3::uuid as user_id union select root_sender_id from root_summary${mention ? ` union select unnest(${mention.userIds}::uuid[])` : ''}
    ) f
    on conflict (root_id, user_id) do update set last_read_seq = greatest(thread_follows.last_read_seq, excluded.last_read_seq)
      where thread_follows.user_id = $3
  )`;
}

/** How many repliers a root's summary names. */
const THREAD_PARTICIPANTS_SHOWN = 5;

/** Which optional steps a send has. */
interface SendShape {
  files: boolean;
  mentions: boolean;
  thread: boolean;
}

/** mentionRefusal's rules over the conversations row being bumped; keep the two in step. */
function mentionsAllowedSql(p: { userIds: string; everyone: string }): string {
  return `
      and (select count(*) from conversation_participants where conversation_id = $2 and user_id = any(${p.userIds}::uuid[]) and left_at is null)
        = coalesce(cardinality(${p.userIds}::uuid[]), 0)
      and (not ${p.everyone}::boolean or (conversations.type = 'group' and (conversations.participant_count <= ${EVERYONE_MENTION_OPEN_MAX}
        or exists (select 1 from conversation_participants where conversation_id = $2 and user_id = $3 and left_at is null and role = 'owner'))))`;
}

/** A mention in a reply carries its root: it counts against the reader's thread marker (mentionCountSql). */
function mentionsRecordedSql(p: { userIds: string }, root: string | null): string {
  return `, mentioned as (
    insert into message_mentions (user_id, conversation_id, seq, message_id, thread_root_id)
    select u.id, $2, inserted.seq, $1, ${root ?? 'null::uuid'} from inserted, unnest(${p.userIds}::uuid[]) as u(id) where u.id <> $3
  )`;
}

const shapeKey = (shape: SendShape) => `${shape.files}/${shape.mentions}/${shape.thread}`;

/** The eight send statements by shape, named for the per-connection prepared statement cache. */
const INSERT_STATEMENTS = new Map(
  [false, true].flatMap((files) =>
    [false, true].flatMap((mentions) =>
      [false, true].map((thread) => {
        const name = `chat_insert_message${files ? '_files' : ''}${mentions ? '_mentions' : ''}${thread ? '_reply' : ''}`;
        return [shapeKey({ files, mentions, thread }), { name, sql: insertMessageSql({ files, mentions, thread }) }] as const;
      }),
    ),
  ),
);

@Injectable()
export class MessageRepository {
  constructor(
    @InjectDb() private readonly db: Database,
    @Inject(DATABASE_HANDLE) private readonly handle: DatabaseHandle,
  ) {}

  /** Stores a message as the conversation's next seq; see insertMessageSql. */
  async insertWithSeq(input: {
    id: string;
    conversationId: string;
    senderId: string;
    content: string;
    clientMessageId: string;
    readUpToSeq?: number;
    attachmentIds: readonly string[];
    /** Only when the message names anyone (see mentionsAnyone). */
    mentions?: Mentions;
    /** A reply: the root of its thread. */
    threadRootId?: string;
  }): Promise<InsertOutcome> {
    const files = input.attachmentIds.length > 0;
    const statement = INSERT_STATEMENTS.get(shapeKey({ files, mentions: input.mentions !== undefined, thread: input.threadRootId !== undefined }))!;
    const values = [
      input.id,
      input.conversationId,
      input.senderId,
      input.content,
      input.clientMessageId,
      ...(input.threadRootId === undefined ? [input.readUpToSeq ?? null] : []),
      ...(files ? [uuidArrayLiteral(input.attachmentIds)] : []),
      ...(input.mentions ? [uuidArrayLiteral(input.mentions.userIds), input.mentions.everyone] : []),
      ...(input.threadRootId !== undefined ? [input.threadRootId] : []),
    ];
    try {
      const { rows } = await this.handle.prepared<InsertedRow>(statement.name, statement.sql, values);
      const row = rows[0];
      if (!row) return { kind: 'refused' };
      const summary = row.thread_summary;
      const thread = summary && { ...summary, lastReplyAt: new Date(summary.lastReplyAt).toISOString() };
      return { kind: 'created', message: fromInsertedRow(row), files: row.attachments ?? [], thread };
    } catch (error) {
      if (isUniqueViolation(error, 'messages_sender_client_id_key')) return { kind: 'duplicate' };
      throw error;
    }
  }

  /**
   * Stores a system message (a change to the group) under a seq the caller took in the transaction
   * of the change it records (ConversationRepository.takeNextSeq).
   */
  async insertSystem(
    tx: Executor,
    input: { id: string; conversationId: string; seq: number; sender: PublicUser; event: SystemEvent },
  ): Promise<MessageWithSender> {
    const [row] = await tx
      .insert(messages)
      .values({
        id: input.id,
        conversationId: input.conversationId,
        seq: input.seq,
        senderId: input.sender.id,
        content: systemEventText(input.event, input.sender),
        contentType: 'system',
        system: input.event,
        clientMessageId: randomUUID(),
        createdAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .returning(messageColumns);
    return { ...row!, senderName: input.sender.displayName };
  }

  async findBySenderAndClientId(senderId: string, clientMessageId: string): Promise<MessageWithSender | null> {
    const [row] = await this.withSenders(and(eq(messages.senderId, senderId), eq(messages.clientMessageId, clientMessageId))).limit(1);
    return row ? toMessageWithSender(row) : null;
  }

  async findById(id: string): Promise<MessageWithSender | null> {
    const [row] = await this.withSenders(eq(messages.id, id)).limit(1);
    return row ? toMessageWithSender(row) : null;
  }

  /** Up to `limit + 1` messages in the asked direction (ascending for afterSeq, else descending); replies only with includeReplies. */
  async page(conversationId: string, options: { beforeSeq?: number; afterSeq?: number; limit: number; includeReplies: boolean }): Promise<MessageWithSender[]> {
    const ascending = options.afterSeq !== undefined;
    const rows = await this.withSenders(
      and(
        eq(messages.conversationId, conversationId),
        options.includeReplies ? undefined : isNull(messages.threadRootId),
        options.afterSeq !== undefined ? gt(messages.seq, options.afterSeq) : undefined,
        options.beforeSeq !== undefined ? lt(messages.seq, options.beforeSeq) : undefined,
      ),
    )
      .orderBy(ascending ? asc(messages.seq) : desc(messages.seq))
      .limit(options.limit + 1);
    return rows.map(toMessageWithSender);
  }

  /**
   * A thread as `userId` may read it, in one round trip (prepared): its root (a message of this
   * conversation that is not a reply, deleted or not) and up to `limit + 1` of its replies after
   * `afterSeq`, oldest first (messages_thread_seq_idx). Null when there is no such root or the user
   * is not a current participant of the live conversation; the caller tells which apart.
   */
  async threadPage(input: {
    conversationId: string;
    userId: string;
    rootId: string;
    afterSeq: number;
    limit: number;
  }): Promise<{ root: MessageWithSender; replies: MessageWithSender[]; files: Map<string, AttachedFile[]> } | null> {
    this.threadPageQuery ??= this.prepareThreadPage();
    const rows = await this.threadPageQuery.execute({ ...input, limit: input.limit + 1 });
    const root = rows.find((row) => row.message.id === input.rootId && row.message.threadRootId === null);
    if (!root) return null;
    const replies = rows.filter((row) => row !== root).sort((a, b) => a.message.seq - b.message.seq);
    const files = new Map(rows.flatMap((row) => (row.files ? [[row.message.id, row.files] as const] : [])));
    return { root: toMessageWithSender(root), replies: replies.map(toMessageWithSender), files };
  }

  private threadPageQuery?: ReturnType<MessageRepository['prepareThreadPage']>;

  /**
   * Both halves carry the membership check, so neither reads anything for someone outside; each
   * message brings its files (none for a deleted one, whose files are gone).
   */
  private prepareThreadPage() {
    const conversationId = sql.placeholder('conversationId');
    const rootId = sql.placeholder('rootId');
    const readable = isCurrentParticipantSql(conversationId, sql.placeholder('userId'));
    const withFiles = () =>
      this.db
        .select({ ...withSender, files: attachedFilesJsonSql(sql`${messages}.id`) })
        .from(messages)
        .innerJoin(users, eq(users.id, messages.senderId));
    const root = withFiles().where(and(eq(messages.id, rootId), eq(messages.conversationId, conversationId), isNull(messages.threadRootId), readable));
    const replies = withFiles()
      .where(and(eq(messages.threadRootId, rootId), eq(messages.conversationId, conversationId), gt(messages.seq, sql.placeholder('afterSeq')), readable))
      .orderBy(asc(messages.seq))
      .limit(sql.placeholder('limit'));
    return root.unionAll(replies).prepare('chat_thread_page');
  }

  async findByIds(ids: readonly string[]): Promise<MessageWithSender[]> {
    if (ids.length === 0) return [];
    return (await this.withSenders(inArray(messages.id, [...ids]))).map(toMessageWithSender);
  }

  /**
   * Edits, deletes and reaction changes of messages up to `uptoSeq` changed since `since`, and thread roots whose summary moved. The 30 s overlap covers
   * transactions that committed after a client's previous read but stamped an earlier time.
   */
  async changedSince(conversationId: string, uptoSeq: number, since: Date, limit: number): Promise<MessageWithSender[]> {
    const rows = await this.withSenders(
      and(
        eq(messages.conversationId, conversationId),
        // As messages_conversation_updated_idx's predicate, so the index serves it.
        or(isNotNull(messages.editedAt), isNotNull(messages.deletedAt), gt(messages.reactionsVersion, 0), isNotNull(messages.lastReplyAt)),
        sql`${messages.updatedAt} > ${since.toISOString()}::timestamptz - interval '30 seconds'`,
        lte(messages.seq, uptoSeq),
      ),
    )
      .orderBy(asc(messages.updatedAt))
      .limit(limit);
    return rows.map(toMessageWithSender);
  }

  /**
   * Applies an edit if the message is the sender's text (not a system message) in that conversation,
   * not deleted, and younger than the edit window. Empty text is taken only by a message that
   * carries files. Given mentions replace the message's, checked against the current membership,
   * with its mention rows, in one transaction; omitted, they stay as they were.
   */
  async edit(input: {
    messageId: string;
    conversationId: string;
    senderId: string;
    content: string;
    windowHours: number;
    mentions?: Mentions;
  }): Promise<EditOutcome> {
    const { messageId, content, mentions } = input;
    const editable = and(
      eq(messages.id, messageId),
      eq(messages.conversationId, input.conversationId),
      eq(messages.senderId, input.senderId),
      eq(messages.contentType, 'text'),
      isNull(messages.deletedAt),
      sql`${messages.createdAt} > now() - make_interval(hours => ${input.windowHours})`,
      content === '' ? sql`exists (select 1 from ${files} where ${files.messageId} = ${messages.id})` : undefined,
    );
    if (!mentions) {
      const [row] = await this.db
        .update(messages)
        .set({ content, editedAt: sql`now()`, updatedAt: sql`now()` })
        .where(editable)
        .returning(messageColumns);
      return row ? { kind: 'edited', message: await this.withSenderName(row) } : { kind: 'refused' };
    }
    const outcome = await this.db.transaction(async (tx): Promise<{ kind: 'edited'; row: MessageRow } | Exclude<EditOutcome, { kind: 'edited' }>> => {
      const [locked] = await tx.select({ seq: messages.seq }).from(messages).where(editable).for('update');
      if (!locked) return { kind: 'refused' };
      // The locked message is in this conversation, so its row exists.
      const facts = await this.mentionFacts(tx, input.conversationId, input.senderId, mentions.userIds);
      const refusal = mentionRefusal(mentions, facts!);
      if (refusal) return { kind: 'mentions-refused', refusal };
      const [row] = await tx
        .update(messages)
        .set({ content, mentionedUserIds: mentions.userIds, mentionsEveryone: mentions.everyone, editedAt: sql`now()`, updatedAt: sql`now()` })
        .where(eq(messages.id, messageId))
        .returning(messageColumns);
      await this.replaceMentionRows(tx, row!, mentions.userIds);
      return { kind: 'edited', row: row! };
    });
    return outcome.kind === 'edited' ? { kind: 'edited', message: await this.withSenderName(outcome.row) } : outcome;
  }

  /** Which mention rule a refused send broke, if any (the send statement only says it wrote nothing). */
  async findMentionRefusal(conversationId: string, senderId: string, mentions: Mentions): Promise<MentionRefusal | null> {
    const facts = await this.mentionFacts(this.db, conversationId, senderId, mentions.userIds);
    return facts ? mentionRefusal(mentions, facts) : null;
  }

  /** A member leaving stops counting the mentions of them there, so a later rejoin starts clean. */
  async forgetMentionsOf(tx: Executor, conversationId: string, userId: string): Promise<void> {
    await tx.delete(messageMentions).where(and(eq(messageMentions.userId, userId), eq(messageMentions.conversationId, conversationId)));
  }

  /**
   * Soft delete of the sender's text (a system message is the group's record): the row and its seq
   * stay, the content, the files and the reactions are gone for everyone. The files' rows, the mention
   * rows and the reactions go in the same transaction; the files' stored objects are the caller's to delete once it has committed.
   * The row keeps its mention columns, so the caller can tell clients what no longer counts.
   * A deleted reply no longer counts in its root's summary (same transaction; `root` is the root after it):
   * the count drops, the last reply's time and the first repliers are those of the live replies
   * (when none is left the time stays, so catch-up still finds the root's change).
   */
  async softDelete(messageId: string, senderId: string): Promise<{ message: MessageWithSender; files: StoredObjects[]; root: MessageRow | null } | null> {
    const deleted = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(messages)
        .set({ content: '', deletedAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(messages.id, messageId), eq(messages.senderId, senderId), eq(messages.contentType, 'text'), isNull(messages.deletedAt)))
        .returning(messageColumns);
      if (!row) return null;
      await tx.delete(messageMentions).where(eq(messageMentions.messageId, row.id));
      // Reactions go with the text; a message never reacted to (version 0) has none to look for.
      if (row.reactionsVersion > 0) await tx.delete(messageReactions).where(eq(messageReactions.messageId, row.id));
      const [root] = row.threadRootId
        ? await tx
            .update(messages)
            .set({
              replyCount: sql`greatest(${messages.replyCount} - 1, 0)`,
              lastReplyAt: sql`coalesce((select max(x.created_at) from ${messages} x where x.thread_root_id = ${row.threadRootId} and x.deleted_at is null), ${messages.lastReplyAt})`,
              threadParticipantIds: sql`coalesce((select array_agg(sender_id order by first_seq) from (
                select x.sender_id, min(x.seq) as first_seq from ${messages} x
                where x.thread_root_id = ${row.threadRootId} and x.deleted_at is null
                group by x.sender_id order by first_seq limit ${THREAD_PARTICIPANTS_SHOWN}) firsts), '{}')`,
              updatedAt: sql`now()`,
            })
            .where(eq(messages.id, row.threadRootId))
            .returning(messageColumns)
        : [];
      return { row, root: root ?? null, files: await deleteFilesOfMessage(tx, row.id) };
    });
    return deleted ? { message: await this.withSenderName(deleted.row), files: deleted.files, root: deleted.root } : null;
  }

  async now(): Promise<Date> {
    const [row] = await this.db.select({ now: sql<string>`now()::text` }).from(sql`(select 1) as one`);
    return new Date(row!.now);
  }

  /** The facts mentionRefusal needs; null when the conversation does not exist. */
  private async mentionFacts(db: Executor, conversationId: string, senderId: string, userIds: readonly string[]): Promise<MentionFacts | null> {
    const current = and(eq(conversationParticipants.conversationId, conversationId), isNull(conversationParticipants.leftAt));
    const [row] = await db
      .select({
        type: conversations.type,
        participantCount: conversations.participantCount,
        senderIsOwner: sql<boolean>`exists (${db
          .select({ one: sql`1` })
          .from(conversationParticipants)
          .where(and(current, eq(conversationParticipants.userId, senderId), eq(conversationParticipants.role, 'owner')))})`,
        mentionedMembers: sql<number>`(${db
          .select({ n: count() })
          .from(conversationParticipants)
          .where(and(current, userIds.length > 0 ? inArray(conversationParticipants.userId, [...userIds]) : sql`false`))})::int`,
      })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    return row ?? null;
  }

  /** The message's mention rows become `userIds` but its sender: rows of those no longer named go, new ones come. */
  private async replaceMentionRows(tx: Executor, row: MessageRow, userIds: readonly string[]): Promise<void> {
    const counted = userIds.filter((userId) => userId !== row.senderId);
    await tx
      .delete(messageMentions)
      .where(and(eq(messageMentions.messageId, row.id), counted.length > 0 ? notInArray(messageMentions.userId, counted) : undefined));
    if (counted.length === 0) return;
    await tx
      .insert(messageMentions)
      .values(counted.map((userId) => ({ userId, conversationId: row.conversationId, seq: row.seq, messageId: row.id, threadRootId: row.threadRootId })))
      .onConflictDoNothing();
    // Named in a reply by an edit: they follow the thread, as when named on send (from its root, so the reply is unread).
    const rootId = row.threadRootId;
    if (rootId === null) return;
    await tx
      .insert(threadFollows)
      .values(
        counted.map((userId) => ({
          rootId,
          userId,
          conversationId: row.conversationId,
          lastReadSeq: sql`(select ${messages.seq} from ${messages} where ${messages.id} = ${rootId})`,
        })),
      )
      .onConflictDoNothing();
  }

  private withSenders(where: SQL | undefined) {
    return this.db.select(withSender).from(messages).innerJoin(users, eq(users.id, messages.senderId)).where(where).$dynamic();
  }

  private async withSenderName(row: MessageRow): Promise<MessageWithSender> {
    const [user] = await this.db.select({ name: users.displayName }).from(users).where(eq(users.id, row.senderId));
    return { ...row, senderName: user?.name ?? '' };
  }
}
