import { Injectable } from '@nestjs/common';
import type { Database } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import type { MessageWithSender } from '../messages/message.repository';
import { conversationsWithin, nextPassBudget, passIsExact } from './search-passes';
import type { ParsedSearch, SenderFilter } from './search-query';

/** Where the previous page ended: its last row's sort key (created_at to the microsecond, id). */
export interface SearchCursor {
  createdAt: string;
  id: string;
}

export interface SearchHit {
  message: MessageWithSender;
  conversation: { id: string; type: 'direct' | 'group'; title: string | null };
  /** The content with the matches of the stemmed and the exact words between markers. */
  markedStemmed: string;
  markedExact: string;
  cursor: SearchCursor;
}

export interface SearchOptions {
  /** The text search configuration stemming the query words (a regconfig name). */
  language: string;
  limit: number;
  after?: SearchCursor;
  markers: { start: string; stop: string };
  timeoutMs: number;
  /** What the first scanning pass reads, in messages (SEARCH_SCAN_MESSAGES). */
  scanMessages: number;
}

interface HitRow {
  id: string;
  conversation_id: string;
  seq: number | string;
  sender_id: string;
  sender_name: string;
  content: string;
  client_message_id: string;
  created_at: Date | string;
  updated_at: Date | string;
  edited_at: Date | string | null;
  mentioned_user_ids: string[];
  mentions_everyone: boolean;
  reactions_version: number;
  thread_root_id: string | null;
  reply_count: number;
  last_reply_at: Date | string | null;
  thread_participant_ids: string[];
  sort_at: string;
  conversation_type: 'direct' | 'group';
  conversation_title: string | null;
  marked_stemmed: string;
  marked_exact: string;
}

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const joinWith = (parts: SQL[], separator: string) => sql.join(parts, sql.raw(separator));

/** An instant as `sort_at` prints it: fixed width, so later instants compare greater as strings. */
const utcMicros = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface ScopeRow {
  id: string;
  last_activity_at: string;
  /** Its last seq: the messages a scan of it reads, system and deleted ones included. */
  messages: number;
}

/**
 * Full-text search over the messages of the conversations a user is currently in. Reads the
 * messages table (owned by MessageRepository) through its search_vector, and the user's memberships;
 * never writes.
 */
@Injectable()
export class MessageSearchRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /**
   * Up to `limit + 1` hits, newest first. Every part of the query text is a bound parameter. A user
   * in many conversations is searched in passes, most recently active conversations first
   * (search-passes.ts), so a common word costs a few dozen conversations, not every message.
   */
  async search(userId: string, search: ParsedSearch, options: SearchOptions): Promise<SearchHit[]> {
    const deadline = Date.now() + options.timeoutMs;
    const wanted = options.limit + 1;
    // One snapshot for every statement: a membership or message that changes meanwhile is seen one way.
    return this.db.transaction(
      async (tx) => {
        // A search the index cannot answer quickly is cut short (503) instead of holding a connection.
        const limitTime = () => tx.execute(sql.raw(`set local statement_timeout = ${Math.max(1, Math.trunc(deadline - Date.now()))}`));
        await limitTime();
        const scope = rowsOf<ScopeRow>(await tx.execute(scopeQuery(userId, search.conversationIds)));
        if (scope.length === 0) return [];
        const find = async (conversations: number, mode: PassMode) => {
          const ids = scope.slice(0, conversations).map((conversation) => conversation.id);
          return rowsOf<HitRow>(await tx.execute(hitsQuery(ids, mode, search, options))).map(toHit);
        };

        let budget = options.scanMessages;
        let covered = 0;
        for (;;) {
          const count = conversationsWithin(scope, budget);
          if (count <= covered) break;
          const hits = await find(count, 'scan');
          if (
            passIsExact(
              hits.map((hit) => hit.cursor.createdAt),
              wanted,
              scope[count]?.last_activity_at,
            )
          )
            return hits;
          await limitTime();
          const read = scope.slice(0, count).reduce((total, conversation) => total + conversation.messages, 0);
          const next = nextPassBudget({ messages: read, hits: hits.length, wanted }, options.scanMessages);
          if (next === 'index') break;
          [budget, covered] = [next, count];
        }
        return find(scope.length, 'index');
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }
}

/** Both drivers answer raw SQL with `{ rows }`; the shared Drizzle type does not say so. */
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/**
 * The conversations the user is in now (the `in:` ones only, if any), most recently active first.
 * One primary-key probe per membership, as the conversation list does, so a user in 2,000
 * conversations costs 2,000 probes of warm pages and never a scan of every conversation.
 */
function scopeQuery(userId: string, conversationIds: readonly string[]): SQL {
  const onlyIn = conversationIds.length > 0 ? sql`and p.conversation_id = any(${uuidArray(conversationIds)})` : sql``;
  // OFFSET 0 keeps the lateral lookup a probe per membership instead of a join the planner may
  // turn into a scan of every conversation.
  return sql`
    select p.conversation_id as id, ${utcMicros(sql`c.last_activity_at`)} as last_activity_at, c.last_seq::int as messages
    from conversation_participants p
    join lateral (
      select c.last_activity_at, c.last_seq from conversations c where c.id = p.conversation_id and c.deleted_at is null offset 0
    ) c on true
    where p.user_id = ${userId} and p.left_at is null ${onlyIn}
    order by c.last_activity_at desc, p.conversation_id desc`;
}

/** Ids (read from the database or checked as uuids by the parser) as one array parameter, however many. */
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/**
 * 'scan' reads every message of the given conversations and tests each (the planner must not use the
 * full-text index, whose posting list for a common word is far longer than a few conversations);
 * 'index' lets the planner choose, which for all but the most common words means the index.
 */
type PassMode = 'scan' | 'index';

function hitsQuery(conversationIds: readonly string[], mode: PassMode, search: ParsedSearch, options: SearchOptions): SQL {
  const language = sql`${options.language}::regconfig`;
  // A word matches its stem in the configured language or itself exactly (names, other languages).
  const word = (text: string) => sql`(plainto_tsquery(${language}, ${text}) || plainto_tsquery('simple', ${text}))`;
  const phrase = (text: string) => sql`(phraseto_tsquery(${language}, ${text}) || phraseto_tsquery('simple', ${text}))`;
  // The vector is the English part (weight A) then the exact part (D): `||` makes the two adjacent,
  // so a phrase is confirmed within one part, else "brown fox is quick" would hold "quick brown".
  const inOnePart = (text: string) =>
    sql`(ts_filter(m.search_vector, '{a}') @@ phraseto_tsquery(${language}, ${text}) or ts_filter(m.search_vector, '{d}') @@ phraseto_tsquery('simple', ${text}))`;
  const isPhrase = (text: string) => /\s/.test(text);
  const excludedWords = search.excluded.filter((text) => !isPhrase(text));
  const excludedPhrases = search.excluded.filter(isPhrase);
  const terms = [...search.words.map(word), ...search.phrases.map(phrase), ...excludedWords.map((text) => sql`!!${word(text)}`)];
  const positive = [...search.words, ...search.phrases];
  const highlightQuery = (config: SQL) =>
    positive.length > 0
      ? joinWith(
          positive.map((text) => sql`plainto_tsquery(${config}, ${text})`),
          ' || ',
        )
      : sql`''::tsquery`;
  const headline = (config: SQL) =>
    sql`ts_headline(${config}, hit.content, ${highlightQuery(config)}, ${`HighlightAll=true, StartSel="${options.markers.start}", StopSel="${options.markers.stop}"`})`;

  // Which messages may be read: the scope, never deleted, never system messages.
  const readable = [sql`m.conversation_id = any(${uuidArray(conversationIds)})`, sql`m.deleted_at is null`, sql`m.content_type = 'text'`];
  const matching: SQL[] = [];
  if (terms.length > 0) matching.push(sql`m.search_vector @@ (${joinWith(terms, ' && ')})`);
  for (const text of search.phrases) matching.push(inOnePart(text));
  for (const text of excludedPhrases) matching.push(sql`not ${inOnePart(text)}`);
  for (const sender of search.senders) matching.push(senderCondition(sender));
  if (search.before) matching.push(sql`m.created_at < ${search.before.toISOString()}::timestamptz`);
  if (search.after) matching.push(sql`m.created_at >= ${search.after.toISOString()}::timestamptz`);
  if (search.hasLink) matching.push(sql`m.content ~* '(https?://|www\\.)[^[:space:]]'`);
  if (options.after) matching.push(sql`(m.created_at, m.id) < (${options.after.createdAt}::timestamptz, ${options.after.id}::uuid)`);

  // OFFSET 0 keeps the matching conditions out of the inner scan, so no index serves them there.
  const candidates =
    mode === 'scan'
      ? sql`(select * from messages m where ${joinWith(readable, ' and ')} offset 0) m where ${joinWith(matching.length > 0 ? matching : [sql`true`], ' and ')}`
      : sql`messages m where ${joinWith([...readable, ...matching], ' and ')}`;

  // The page is chosen from messages alone; its conversations and senders are looked up for its rows only.
  return sql`
    select hit.id, hit.conversation_id, hit.seq, hit.sender_id, u.display_name as sender_name, hit.content, hit.client_message_id,
      hit.created_at, hit.updated_at, hit.edited_at, hit.mentioned_user_ids::text[] as mentioned_user_ids, hit.mentions_everyone, hit.reactions_version,
      hit.thread_root_id, hit.reply_count, hit.last_reply_at, hit.thread_participant_ids::text[] as thread_participant_ids, ${utcMicros(sql`hit.created_at`)} as sort_at,
      c.type as conversation_type, c.title as conversation_title,
      ${headline(language)} as marked_stemmed, ${headline(sql`'simple'::regconfig`)} as marked_exact
    from (
      select m.id, m.conversation_id, m.seq, m.sender_id, m.content, m.client_message_id, m.created_at, m.updated_at, m.edited_at,
        m.mentioned_user_ids, m.mentions_everyone, m.reactions_version, m.thread_root_id, m.reply_count, m.last_reply_at, m.thread_participant_ids
      from ${candidates}
      order by m.created_at desc, m.id desc
      limit ${options.limit + 1}
    ) hit
    join conversations c on c.id = hit.conversation_id
    join users u on u.id = hit.sender_id
    order by hit.created_at desc, hit.id desc`;
}

function senderCondition(sender: SenderFilter): SQL {
  if (sender.kind === 'id') return sql`m.sender_id = ${sender.userId}::uuid`;
  const name = sender.exact ? sql`lower(u.display_name) = lower(${sender.name})` : sql`starts_with(lower(u.display_name), lower(${sender.name}))`;
  return sql`m.sender_id in (select u.id from users u where ${name})`;
}

function toHit(row: HitRow): SearchHit {
  const message: MessageWithSender = {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    senderName: row.sender_name,
    content: row.content,
    contentType: 'text',
    system: null,
    clientMessageId: row.client_message_id,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    editedAt: row.edited_at === null ? null : toDate(row.edited_at),
    deletedAt: null,
    mentionedUserIds: row.mentioned_user_ids,
    mentionsEveryone: row.mentions_everyone,
    reactionsVersion: row.reactions_version,
    threadRootId: row.thread_root_id,
    replyCount: row.reply_count,
    lastReplyAt: row.last_reply_at === null ? null : toDate(row.last_reply_at),
    threadParticipantIds: row.thread_participant_ids,
  };
  return {
    message,
    conversation: { id: row.conversation_id, type: row.conversation_type, title: row.conversation_title },
    markedStemmed: row.marked_stemmed,
    markedExact: row.marked_exact,
    cursor: { createdAt: row.sort_at, id: row.id },
  };
}
