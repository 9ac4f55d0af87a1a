const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Fixed to en-GB so list timestamps stay compact and consistent ("Mon", "12 Jan") for everyone.
const weekdayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short' });
const dayMonthFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const dayMonthYearFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const fullFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short' });

function toTime(value: Date | string | number): number {
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

/** Whole calendar days between two instants in local time, ignoring the time of day. */
export function calendarDaysBetween(from: Date | string | number, to: Date | string | number): number {
  const a = new Date(toTime(from));
  const b = new Date(toTime(to));
  const startA = new Date(a.getFullYear(), a.getMonth(), a.getDate()).getTime();
  const startB = new Date(b.getFullYear(), b.getMonth(), b.getDate()).getTime();
  // Rounding absorbs the 23 h / 25 h days around daylight-saving changes.
  return Math.round((startB - startA) / DAY);
}

/**
 * A short timestamp for lists: "now", "5m", "3h" within a day, then the weekday for the last week,
 * "12 Jan" this year and "12 Jan 2024" before that. Times slightly in the future (clock skew) read "now".
 */
export function formatRelativeTime(value: Date | string | number, now: Date | string | number = Date.now()): string {
  const time = toTime(value);
  const current = toTime(now);
  if (Number.isNaN(time)) return '';
  const elapsed = current - time;

  if (elapsed < MINUTE) return 'now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)}m`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)}h`;

  const date = new Date(time);
  // Under a week by calendar days, so the weekday can never be mistaken for today's.
  if (calendarDaysBetween(time, current) < 7) return weekdayFormat.format(date);
  if (date.getFullYear() === new Date(current).getFullYear()) return dayMonthFormat.format(date);
  return dayMonthYearFormat.format(date);
}

/** The unabbreviated date and time, for tooltips and screen readers. */
export function formatFullDateTime(value: Date | string | number): string {
  const time = toTime(value);
  return Number.isNaN(time) ? '' : fullFormat.format(new Date(time));
}
