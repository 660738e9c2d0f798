import { assert } from '../assert';

// Calendar arithmetic on 'YYYY-MM-DD' strings in UTC: a due date is a day, never an instant, so no time
// zone may shift it.

const DATE_PATTERN = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const MS_PER_DAY = 86_400_000;
/** Far beyond any loan term (360 months); a bound so a bad argument cannot walk the calendar forever. */
export const CALENDAR_MONTHS_MAX = 12_000;

interface CalendarDay {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

function parseDay(dateText: string): CalendarDay {
  const match = DATE_PATTERN.exec(dateText);
  assert(match !== null, `a calendar date must be YYYY-MM-DD, got "${dateText}"`);
  const parsed = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  assert(
    parsed.month >= 1 && parsed.month <= 12 && parsed.day >= 1 && parsed.day <= daysInMonth(parsed.year, parsed.month),
    `"${dateText}" is not a calendar date`,
  );
  return parsed;
}

function formatDay(day: CalendarDay): string {
  const pad = (value: number, width: number) => value.toString().padStart(width, '0');
  return `${pad(day.year, 4)}-${pad(day.month, 2)}-${pad(day.day, 2)}`;
}

/** Days in `month` (1..12) of `year`, leap years included. */
export function daysInMonth(year: number, month: number): number {
  assert(Number.isInteger(month) && month >= 1 && month <= 12, `month must be 1..12, got ${month}`);
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The date `months` months after `dateText`, clamped to the last day of the target month: always counted
 * from the same start, so Jan 31 + 1 → Feb 28/29 and Jan 31 + 2 → Mar 31 (not Mar 28).
 */
export function addMonthsClamped(dateText: string, months: number): string {
  assert(Number.isInteger(months) && months >= 0, `months must be a whole number ≥ 0, got ${months}`);
  assert(months <= CALENDAR_MONTHS_MAX, `months must be at most ${CALENDAR_MONTHS_MAX}, got ${months}`);
  const start = parseDay(dateText);
  const monthIndex = start.year * 12 + (start.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const result = formatDay({ year, month, day: Math.min(start.day, daysInMonth(year, month)) });
  assert(result > dateText || months === 0, `adding ${months} months to ${dateText} must move forward`);
  return result;
}

/** Whole days from `fromDate` to `toDate` (not before it): the days of interest of one period. */
export function daysBetween(fromDate: string, toDate: string): number {
  const from = parseDay(fromDate);
  const to = parseDay(toDate);
  const days = (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / MS_PER_DAY;
  assert(Number.isSafeInteger(days) && days >= 0, `${toDate} must not be before ${fromDate}`);
  return days;
}

/** Far beyond any business-date jump; a bound on the days one call may walk. */
export const CALENDAR_DAYS_MAX = 400_000;

/** The date `days` days after `dateText` (the business clock and reminders count in whole days). */
export function addDays(dateText: string, days: number): string {
  assert(
    Number.isInteger(days) && Math.abs(days) <= CALENDAR_DAYS_MAX,
    `days must be a whole number within ±${CALENDAR_DAYS_MAX}, got ${days}`,
  );
  const start = parseDay(dateText);
  const moved = new Date(Date.UTC(start.year, start.month - 1, start.day) + days * MS_PER_DAY);
  return formatDay({ year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() });
}

/** The UTC calendar date of an instant, 'YYYY-MM-DD'. */
export function utcDateOf(instant: Date): string {
  assert(!Number.isNaN(instant.getTime()), 'the instant must be a valid date');
  return instant.toISOString().slice(0, 10);
}

/**
 * A business timestamp (`repaidAt`, a reminder's `sentAt`): the business date `businessDate` with the wall
 * clock's UTC time of day at `wallClock`. Its date is always the business date, so it sorts and groups
 * with `dueDate` and the business day's figures however far the business clock is ahead of the wall clock.
 */
export function businessTimestamp(businessDate: string, wallClock: Date): Date {
  const { year, month, day } = parseDay(businessDate);
  assert(!Number.isNaN(wallClock.getTime()), 'the wall clock must be a valid date');
  const timeOfDayMs = wallClock.getTime() - Date.parse(`${utcDateOf(wallClock)}T00:00:00.000Z`);
  return new Date(Date.UTC(year, month - 1, day) + timeOfDayMs);
}
