import type { ConversationNotifications } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { BASE_TITLE, unreadTitle, unreadTotals } from './unread-title';

const NOW = Date.parse('2026-05-01T12:00:00.000Z');
const entry = (unreadCount: number, mentionCount = 0, mutedUntil: string | null = null) => ({
  unreadCount,
  mentionCount,
  notifications: { level: 'all', custom: false, mutedUntil } satisfies ConversationNotifications,
});

describe('unreadTotals', () => {
  it('adds unread messages and mentions of conversations that are not muted', () => {
    const totals = unreadTotals([entry(3, 1), entry(2), entry(40, 5, '2026-05-02T00:00:00.000Z'), entry(1, 1, '2026-04-30T00:00:00.000Z')], NOW);
    expect(totals).toEqual({ unread: 6, mentions: 2 });
  });
});

describe('unreadTitle', () => {
  it('is the plain title with nothing unread', () => {
    expect(unreadTitle({ unread: 0, mentions: 0 })).toBe(BASE_TITLE);
  });

  it('shows the unread count, mentions first when there are any', () => {
    expect(unreadTitle({ unread: 5, mentions: 0 })).toBe('(5) Chat');
    expect(unreadTitle({ unread: 5, mentions: 2 })).toBe('(@2 · 5) Chat');
  });

  it('caps large counts', () => {
    expect(unreadTitle({ unread: 1500, mentions: 1200 })).toBe('(@999+ · 999+) Chat');
  });
});
