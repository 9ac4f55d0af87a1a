import { Injectable } from '@nestjs/common';
import type { Database } from '@chat/db';
import { type SQL, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import type { MessageWithSender } from '../messages/message.repository';
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
  sort_at: string;
  conversation_type: 'direct' | 'group';
  conversation_title: string | null;
  marked_stemmed: string;
  marked_exact: string;
}

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const joinWith = (parts: SQL[], separator: string) => sql.join(parts, sql.raw(separator));

/**
 * Full-text search over the messages of the conversations a user is currently in. Reads the
 * messages table (owned by MessageRepository) through its search_vector only; never writes.
 */
@Injectable()
export class MessageSearchRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /** Up to `limit + 1` hits, newest first. Every part of the query text is a bound parameter. */
  async search(userId: string, search: ParsedSearch, options: SearchOptions): Promise<SearchHit[]> {
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
      sql`ts_headline(${config}, content, ${highlightQuery(config)}, ${`HighlightAll=true, StartSel="${options.markers.start}", StopSel="${options.markers.stop}"`})`;

    const conditions: SQL[] = [sql`m.deleted_at is null`, sql`m.content_type = 'text'`];
    if (terms.length > 0) conditions.push(sql`m.search_vector @@ (${joinWith(terms, ' && ')})`);
    for (const text of search.phrases) conditions.push(inOnePart(text));
    for (const text of excludedPhrases) conditions.push(sql`not ${inOnePart(text)}`);
    for (const sender of search.senders) conditions.push(senderCondition(sender));
    for (const conversationId of search.conversationIds) conditions.push(sql`m.conversation_id = ${conversationId}::uuid`);
    if (search.before) conditions.push(sql`m.created_at < ${search.before.toISOString()}::timestamptz`);
    if (search.after) conditions.push(sql`m.created_at >= ${search.after.toISOString()}::timestamptz`);
    if (search.hasLink) conditions.push(sql`m.content ~* '(https?://|www\\.)[^[:space:]]'`);
    if (options.after) conditions.push(sql`(m.created_at, m.id) < (${options.after.createdAt}::timestamptz, ${options.after.id}::uuid)`);

    const query = sql`
      select hit.*, ${headline(language)} as marked_stemmed, ${headline(sql`'simple'::regconfig`)} as marked_exact
      from (
        select m.id, m.conversation_id, m.seq, m.sender_id, u.display_name as sender_name, m.content, m.client_message_id,
          m.created_at, m.updated_at, m.edited_at,
          to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_at,
          c.type as conversation_type, c.title as conversation_title
        from messages m
        join conversation_participants p on p.conversation_id = m.conversation_id and p.user_id = ${userId} and p.left_at is null
        join conversations c on c.id = m.conversation_id and c.deleted_at is null
        join users u on u.id = m.sender_id
        where ${joinWith(conditions, ' and ')}
        order by m.created_at desc, m.id desc
        limit ${options.limit + 1}
      ) hit
      order by hit.created_at desc, hit.id desc`;

    return this.db.transaction(async (tx) => {
      // A search the index cannot answer quickly is cut short (503) instead of holding a connection.
      await tx.execute(sql.raw(`set local statement_timeout = ${Math.trunc(options.timeoutMs)}`));
      // Both drivers answer raw SQL with `{ rows }`; the shared Drizzle type does not say so.
      const result: unknown = await tx.execute(query);
      return (result as { rows: HitRow[] }).rows.map(toHit);
    });
  }
}

function senderCondition(sender: SenderFilter): SQL {
  if (sender.kind === 'id') return sql`m.sender_id = ${sender.userId}::uuid`;
  return sender.exact ? sql`lower(u.display_name) = lower(${sender.name})` : sql`starts_with(lower(u.display_name), lower(${sender.name}))`;
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
  };
  return {
    message,
    conversation: { id: row.conversation_id, type: row.conversation_type, title: row.conversation_title },
    markedStemmed: row.marked_stemmed,
    markedExact: row.marked_exact,
    cursor: { createdAt: row.sort_at, id: row.id },
  };
}
