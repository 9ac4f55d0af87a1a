import { describe, expect, it } from 'vitest';
import { agoLabel, threadActivityLabel } from './thread-labels';

const NOW = Date.parse('2026-05-01T12:00:00.000Z');
const before = (ms: number) => new Date(NOW - ms).toISOString();

describe('thread labels', () => {
  it('says how many replies and how long ago the last one came', () => {
    expect(threadActivityLabel({ replyCount: 1, lastReplyAt: before(30_000), participantIds: [] }, NOW)).toBe('1 reply · last reply just now');
    expect(threadActivityLabel({ replyCount: 3, lastReplyAt: before(5 * 60_000), participantIds: [] }, NOW)).toBe('3 replies · last reply 5 min ago');
    expect(threadActivityLabel({ replyCount: 0, lastReplyAt: null, participantIds: [] }, NOW)).toBe('0 replies');
  });

  it('moves to hours and days, and reads a clock slightly ahead as just now', () => {
    expect(agoLabel(before(3 * 3_600_000), NOW)).toBe('3 h ago');
    expect(agoLabel(before(26 * 3_600_000), NOW)).toBe('1 day ago');
    expect(agoLabel(before(3 * 86_400_000), NOW)).toBe('3 days ago');
    expect(agoLabel(new Date(NOW + 5_000).toISOString(), NOW)).toBe('just now');
  });
});
