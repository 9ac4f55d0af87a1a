import { uuidSchema } from '@chat/shared';
import { searchErrors } from './search.errors';

/** Who sent a message: by id, or by display name (exact when quoted, else a name starting with it). */
export type SenderFilter = { kind: 'id'; userId: string } | { kind: 'name'; name: string; exact: boolean };

/** A search as the database query needs it; every filter narrows (they are ANDed). */
export interface ParsedSearch {
  /** Free words: each must match (stemmed). */
  words: string[];
  /** "Quoted phrases": the words in this order. */
  phrases: string[];
  /** -word or -"phrase": messages containing it are left out. */
  excluded: string[];
  senders: SenderFilter[];
  conversationIds: string[];
  /** Created before the start of this day (UTC). */
  before?: Date;
  /** Created after the end of this day (UTC). */
  after?: Date;
  hasLink: boolean;
}

interface Token {
  /** As typed, quotes included. */
  raw: string;
  negated: boolean;
}

const OPERATOR = /^(from|in|before|after|has):(.+)$/is;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Splits on whitespace outside double quotes; a leading "-" negates; an unclosed quote runs to the end. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    let negated = false;
    if (input[i] === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!)) {
      negated = true;
      i++;
    }
    let raw = '';
    let quoted = false;
    while (i < input.length && (quoted || !/\s/.test(input[i]!))) {
      if (input[i] === '"') quoted = !quoted;
      raw += input[i];
      i++;
    }
    tokens.push({ raw, negated });
  }
  return tokens;
}

const unquote = (text: string) => text.replaceAll('"', '').trim();

function parseDay(operator: string, value: string): Date {
  const match = DAY.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  // Date.UTC rolls 2024-02-30 over into March; a real day reads back the same.
  if (!date || date.toISOString().slice(0, 10) !== value) throw searchErrors.invalidQuery(`${operator}: needs a date as YYYY-MM-DD, got "${value}"`);
  return date;
}

function parseUuid(operator: string, value: string): string {
  if (!uuidSchema.safeParse(value).success) throw searchErrors.invalidQuery(`${operator}: needs an id, got "${value}"`);
  return value.toLowerCase();
}

function parseSender(value: string): SenderFilter {
  if (!value.startsWith('@')) return { kind: 'id', userId: parseUuid('from', unquote(value)) };
  const name = value.slice(1);
  const exact = name.startsWith('"');
  const plain = unquote(name);
  if (!plain) throw searchErrors.invalidQuery('from:@ needs a name, e.g. from:@Ada or from:@"Ada Lovelace"');
  return { kind: 'name', name: plain, exact };
}

/**
 * Reads the search box language: free words, "exact phrases", -exclusions and the operators
 * from:<user id>, from:@name, from:@"full name", in:<conversation id>, before:/after:YYYY-MM-DD and
 * has:link. Anything else (unknown operators included) is a plain word. Throws a 400 AppError for a
 * malformed operator value, or when nothing positive is left to search for.
 */
export function parseSearchQuery(input: string): ParsedSearch {
  const search: ParsedSearch = { words: [], phrases: [], excluded: [], senders: [], conversationIds: [], hasLink: false };
  for (const { raw, negated } of tokenize(input)) {
    const operator = negated ? null : OPERATOR.exec(raw);
    if (operator) {
      const name = operator[1]!.toLowerCase();
      const value = operator[2]!;
      if (name === 'from') search.senders.push(parseSender(value));
      else if (name === 'in') search.conversationIds.push(parseUuid('in', unquote(value)));
      else if (name === 'before') {
        const day = parseDay('before', unquote(value));
        if (!search.before || day < search.before) search.before = day;
      } else if (name === 'after') {
        const day = new Date(parseDay('after', unquote(value)).getTime() + DAY_MS);
        if (!search.after || day > search.after) search.after = day;
      } else if (unquote(value).toLowerCase() === 'link') search.hasLink = true;
      else throw searchErrors.invalidQuery(`has: supports only has:link, got "${value}"`);
      continue;
    }
    const text = unquote(raw);
    if (!text) continue;
    if (negated) search.excluded.push(text);
    else if (raw.includes('"') && /\s/.test(text)) search.phrases.push(text);
    else search.words.push(text);
  }
  const positive = search.words.length + search.phrases.length > 0;
  const filtered = search.senders.length + search.conversationIds.length > 0 || search.before || search.after || search.hasLink;
  if (!positive && !filtered) throw searchErrors.emptyQuery();
  return search;
}
