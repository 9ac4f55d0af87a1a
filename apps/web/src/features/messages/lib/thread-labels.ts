import type { ThreadSummary } from '@chat/shared';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "1 reply", "3 replies". */
export const replyCountLabel = (count: number) => `${count} ${count === 1 ? 'reply' : 'replies'}`;

/** How long ago, in words a line of text can hold: "just now", "5 min ago", "3 h ago", "2 days ago". */
export function agoLabel(at: string, now: number): string {
  const elapsed = Math.max(0, now - Date.parse(at));
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** "3 replies · last reply 5 min ago". */
export function threadActivityLabel(thread: ThreadSummary, now: number): string {
  const count = replyCountLabel(thread.replyCount);
  return thread.lastReplyAt ? `${count} · last reply ${agoLabel(thread.lastReplyAt, now)}` : count;
}
