import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, formatFullDateTime, formatRelativeTime } from './relative-time';

// Local-time constructors keep these independent of the machine's time zone.
const now = new Date(2025, 4, 14, 15, 30, 0); // Wednesday 14 May 2025, 15:30

function ago(ms: number): Date {
  return new Date(now.getTime() - ms);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('formatRelativeTime', () => {
  it('says "now" for the last minute and for timestamps slightly in the future', () => {
    expect(formatRelativeTime(now, now)).toBe('now');
    expect(formatRelativeTime(ago(59 * SECOND), now)).toBe('now');
    expect(formatRelativeTime(new Date(now.getTime() + 5 * SECOND), now)).toBe('now');
  });

  it('counts whole minutes under an hour', () => {
    expect(formatRelativeTime(ago(MINUTE), now)).toBe('1m');
    expect(formatRelativeTime(ago(5 * MINUTE + 59 * SECOND), now)).toBe('5m');
    expect(formatRelativeTime(ago(59 * MINUTE), now)).toBe('59m');
  });

  it('counts whole hours under a day, even across midnight', () => {
    expect(formatRelativeTime(ago(HOUR), now)).toBe('1h');
    expect(formatRelativeTime(ago(3 * HOUR + 20 * MINUTE), now)).toBe('3h');
    const justAfterMidnight = new Date(2025, 4, 14, 0, 30);
    expect(formatRelativeTime(new Date(2025, 4, 13, 23, 0), justAfterMidnight)).toBe('1h');
    expect(formatRelativeTime(ago(23 * HOUR + 59 * MINUTE), now)).toBe('23h');
  });

  it('uses the weekday for the rest of the last week', () => {
    expect(formatRelativeTime(new Date(2025, 4, 13, 9, 0), now)).toBe('Tue');
    expect(formatRelativeTime(new Date(2025, 4, 12, 8, 0), now)).toBe('Mon');
    // Six calendar days back is still unambiguous...
    expect(formatRelativeTime(new Date(2025, 4, 8, 23, 59), now)).toBe('Thu');
  });

  it('switches to day and month once the weekday would repeat', () => {
    // ...but seven days back is the same weekday as today.
    expect(formatRelativeTime(new Date(2025, 4, 7, 23, 59), now)).toBe('7 May');
    expect(formatRelativeTime(new Date(2025, 0, 12, 10, 0), now)).toBe('12 Jan');
  });

  it('adds the year for earlier years', () => {
    expect(formatRelativeTime(new Date(2024, 11, 31, 10, 0), now)).toBe('31 Dec 2024');
    const newYearsDay = new Date(2025, 0, 1, 9, 0);
    // Within the week the weekday still wins over the year change.
    expect(formatRelativeTime(new Date(2024, 11, 30, 10, 0), newYearsDay)).toBe('Mon');
  });

  it('accepts ISO strings and epoch milliseconds', () => {
    expect(formatRelativeTime(ago(5 * MINUTE).toISOString(), now.getTime())).toBe('5m');
    expect(formatRelativeTime(ago(2 * HOUR).getTime(), now.toISOString())).toBe('2h');
  });

  it('returns an empty string for an invalid date instead of "Invalid Date"', () => {
    expect(formatRelativeTime('not a date', now)).toBe('');
    expect(formatFullDateTime('not a date')).toBe('');
  });
});

describe('calendarDaysBetween', () => {
  it('ignores the time of day', () => {
    expect(calendarDaysBetween(new Date(2025, 4, 13, 23, 59), new Date(2025, 4, 14, 0, 1))).toBe(1);
    expect(calendarDaysBetween(new Date(2025, 4, 14, 0, 1), new Date(2025, 4, 14, 23, 59))).toBe(0);
    expect(calendarDaysBetween(new Date(2025, 2, 1), new Date(2025, 3, 1))).toBe(31);
  });
});

describe('formatFullDateTime', () => {
  it('spells out the date and time', () => {
    expect(formatFullDateTime(new Date(2025, 0, 12, 10, 5))).toMatch(/Sunday.*12 January 2025.*10:05/);
  });
});
