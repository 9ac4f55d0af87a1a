/**
 * Newest-first search over many conversations, in passes (see MessageSearchRepository.search).
 *
 * A conversation's last_activity_at is never older than its newest message. So the hits found in a
 * user's most recently active conversations are the exact answer when they fill the page and the
 * oldest of them is newer than the last activity of the first conversation left out: nothing
 * elsewhere can rank above them. A scanning pass reads every message of those conversations (cheap
 * for a few thousand messages, and the only cheap way for a word in every other message); the last
 * pass asks the full-text index over all of them (cheap for rarer words).
 */

/** The first scan reads about `first` messages (SEARCH_SCAN_MESSAGES): enough to fill a page with a
 * common word's hits. Beyond SCAN_PASS_GROWTH times as many, reading them all costs more than
 * asking the index. */
export const SCAN_PASS_GROWTH = 5;

export interface PassResult {
  /** Messages the pass read. */
  messages: number;
  /** Hits it found, at most `wanted`. */
  hits: number;
  /** Hits a complete page needs (the page size plus one, to tell if there is more). */
  wanted: number;
}

/**
 * How many of the conversations (most recently active first, each with its message count) a scan of
 * at most `budget` messages covers; 0 when the first one alone is bigger.
 */
export function conversationsWithin(scope: readonly { messages: number }[], budget: number): number {
  let total = 0;
  for (const [i, conversation] of scope.entries()) {
    total += conversation.messages;
    if (total > budget) return i;
  }
  return scope.length;
}

/**
 * The message budget of the next scanning pass, or 'index' for the last pass over everything. A
 * pass that found no hit means a rare word; one that found some says roughly how many messages a
 * full page needs (with room to spare, as hits are not spread evenly); a full page that was not
 * recent enough asks for a wider look.
 */
export function nextPassBudget(previous: PassResult, first: number): number | 'index' {
  if (previous.hits === 0) return 'index';
  const messages = Math.max(previous.messages, 1);
  // Half as many again as the hits so far suggest (integer arithmetic: no rounding up by a hair).
  const budget = previous.hits >= previous.wanted ? messages * 4 : Math.ceil((messages * previous.wanted * 3) / (previous.hits * 2));
  return budget > first * SCAN_PASS_GROWTH ? 'index' : budget;
}

/**
 * Whether the hits of a pass over the first conversations are the exact answer: newest first, they
 * fill the page, and the oldest is newer than `boundary`, the last activity of the first
 * conversation the pass left out (both as fixed-width UTC strings, so they compare as text). A pass
 * that left none out is exact whatever it found.
 */
export function passIsExact(hitTimes: readonly string[], wanted: number, boundary: string | undefined): boolean {
  if (boundary === undefined) return true;
  return hitTimes.length >= wanted && hitTimes.at(-1)! > boundary;
}
