import { isAcceptableMuteEnd, MUTE_MAX_MS, updateConversationNotificationsRequestSchema } from '@chat/shared';
import { describe, expect, it } from 'vitest';

// A year from here crosses 29 February 2028: 366 days.
const now = Date.parse('2027-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(now + ms).toISOString();

describe('isAcceptableMuteEnd', () => {
  it('accepts the future up to a year ahead, leap day included', () => {
    expect(isAcceptableMuteEnd(at(1), now)).toBe(true);
    expect(isAcceptableMuteEnd('2028-03-01T12:00:00.000Z', now)).toBe(true);
    expect(isAcceptableMuteEnd(at(MUTE_MAX_MS), now)).toBe(true);
  });

  it('refuses now, the past, and more than a year ahead', () => {
    expect(isAcceptableMuteEnd(at(0), now)).toBe(false);
    expect(isAcceptableMuteEnd(at(-1), now)).toBe(false);
    expect(isAcceptableMuteEnd(at(MUTE_MAX_MS + 1), now)).toBe(false);
  });
});

describe('updateConversationNotificationsRequestSchema', () => {
  const parse = (body: unknown) => updateConversationNotificationsRequestSchema.safeParse(body);

  it('tells an omitted mute (keep it) from null (unmute)', () => {
    expect(parse({ level: 'default' }).data).toEqual({ level: 'default' });
    expect(parse({ level: 'none', mutedUntil: null }).data).toEqual({ level: 'none', mutedUntil: null });
  });

  it('refuses unknown levels, dates in the past and text that is not a date', () => {
    expect(parse({ level: 'loud' }).success).toBe(false);
    expect(parse({ level: 'all', mutedUntil: '2020-01-01T00:00:00Z' }).success).toBe(false);
    expect(parse({ level: 'all', mutedUntil: 'tomorrow' }).success).toBe(false);
  });
});
