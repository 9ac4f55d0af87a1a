import { EVERYONE_MENTION_OPEN_MAX, type Mentions, type ParticipantRole } from '@chat/shared';

/** Someone who can be mentioned: a current member other than the writer. */
export interface MentionCandidate {
  id: string;
  displayName: string;
}

/** The words that mention everyone in a group. */
export const EVERYONE_WORDS = ['everyone', 'here'] as const;

/** Longer than this after `@`, the text is no longer taken for a name being typed. */
const QUERY_MAX = 60;
/** What may stand right before an `@` that starts a mention: nothing, a space or an opening bracket or quote. */
const OPENER = /[\s([{"'“‘]/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

export const noMentions = (): Mentions => ({ userIds: [], everyone: false });

export const hasMentions = (mentions: Mentions | undefined): mentions is Mentions =>
  mentions !== undefined && (mentions.everyone || mentions.userIds.length > 0);

/** Whether a message's mentions reach this user (named, or everyone). */
export function mentionsUser(mentions: Mentions, userId: string | undefined): boolean {
  return userId !== undefined && (mentions.everyone || mentions.userIds.includes(userId));
}

/** Whether this member may mention everyone here (the server's rule, so the composer never offers a refused send). */
export function canMentionEveryone(conversation: { type: 'direct' | 'group'; participantCount: number; role: ParticipantRole }): boolean {
  return conversation.type === 'group' && (conversation.participantCount <= EVERYONE_MENTION_OPEN_MAX || conversation.role === 'owner');
}

/** The mention being typed at the caret: where its `@` is and what follows it, or null. */
export function activeMentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at === -1) return null;
  if (at > 0 && !OPENER.test(before.charAt(at - 1))) return null;
  const query = before.slice(at + 1);
  if (query.length > QUERY_MAX || query.startsWith(' ') || /[\n@]/.test(query)) return null;
  return { start: at, query };
}

/** Whether `query` starts at the beginning of any word of `name` ("bo" finds "Bob" and "Jim Bond"), ignoring case. */
export function matchesWordStart(name: string, query: string): boolean {
  const lowerName = name.toLowerCase();
  const lowerQuery = query.toLowerCase();
  for (let i = 0; i < lowerName.length; i += 1) {
    if ((i === 0 || /\s/.test(lowerName.charAt(i - 1))) && lowerName.startsWith(lowerQuery, i)) return true;
  }
  return false;
}

/** The candidates a query finds: names starting with it first, then those with a later word starting with it. */
export function filterCandidates<T extends MentionCandidate>(candidates: readonly T[], query: string): T[] {
  const lowerQuery = query.toLowerCase();
  const found = candidates.filter((candidate) => matchesWordStart(candidate.displayName, query));
  const starts = (candidate: T) => (candidate.displayName.toLowerCase().startsWith(lowerQuery) ? 0 : 1);
  return found.sort((a, b) => starts(a) - starts(b) || a.displayName.localeCompare(b.displayName));
}

/** Replaces the typed `@query` (from `start` to the caret) with "@Name " and puts the caret after it. */
export function insertMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
  const after = text.slice(caret);
  const inserted = `@${name}${after.startsWith(' ') ? '' : ' '}`;
  return { text: text.slice(0, start) + inserted + after, caret: start + inserted.length + (after.startsWith(' ') ? 1 : 0) };
}

export interface MentionSpan {
  start: number;
  end: number;
  /** The name as given (not as typed: case may differ). */
  name: string;
}

/**
 * Where "@Name" of each given name stands in the text, as a whole word: at the start or after a
 * space or opening bracket, and not followed by a letter or digit. Longer names win where they
 * overlap, so "@Bob Brown" is never also "@Bob". Case is ignored.
 */
export function findMentionSpans(text: string, names: readonly string[]): MentionSpan[] {
  const byLength = [...new Set(names)].filter((name) => name.length > 0).sort((a, b) => b.length - a.length);
  const spans: MentionSpan[] = [];
  const lowerText = text.toLowerCase();
  // Lower-casing can change a string's length; then positions in it would not match the text's.
  const comparable = lowerText.length === text.length;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (at > 0 && !OPENER.test(text.charAt(at - 1))) continue;
    for (const name of byLength) {
      const end = at + 1 + name.length;
      const candidate = comparable ? lowerText.slice(at + 1, end) : text.slice(at + 1, end).toLowerCase();
      if (candidate !== name.toLowerCase() || WORD_CHAR.test(text.charAt(end))) continue;
      spans.push({ start: at, end, name });
      at = end - 1;
      break;
    }
  }
  return spans;
}

/**
 * Who a text mentions, among the candidates: each one whose "@Display Name" is in it (two members
 * of the same name are both named), and everyone for "@everyone" or "@here" where allowed.
 */
export function mentionsInText(text: string, candidates: readonly MentionCandidate[], everyoneAllowed: boolean): Mentions {
  const names = candidates.map((candidate) => candidate.displayName);
  const spans = findMentionSpans(text, everyoneAllowed ? [...names, ...EVERYONE_WORDS] : names);
  const named = new Set(spans.map((span) => span.name.toLowerCase()));
  const userIds = [...new Set(candidates.filter((candidate) => named.has(candidate.displayName.toLowerCase())).map((candidate) => candidate.id))];
  const everyone = everyoneAllowed && EVERYONE_WORDS.some((word) => named.has(word));
  return { userIds, everyone };
}

/** A name that shows as a chip in a message's text; highlighted when it is the reader (or everyone). */
export interface MentionChip {
  name: string;
  highlighted: boolean;
}

/**
 * The chips of a message: "@Name" of each user it mentions whose name is known (an unknown one stays
 * plain text), and "@everyone" / "@here" when it mentions everyone. Highlighted for the reader only
 * in someone else's message: a sender's own mentions never count for them.
 */
export function mentionChips(mentions: Mentions, names: ReadonlyMap<string, string>, readerId: string | undefined, own: boolean): MentionChip[] {
  const chips: MentionChip[] = [];
  for (const id of mentions.userIds) {
    const name = names.get(id);
    if (name) chips.push({ name, highlighted: !own && id === readerId });
  }
  if (mentions.everyone) for (const word of EVERYONE_WORDS) chips.push({ name: word, highlighted: !own });
  return chips;
}
