// Proves the day arithmetic of the business clock (schedule/calendar.ts): addDays moves whole calendar
// days forward and back across month ends, year ends and leap days (2028 and 2000 leap, 2100 not), is
// undone by the opposite move and agrees with daysBetween over random dates and distances up to its
// bound; a distance beyond ±CALENDAR_DAYS_MAX, a fractional one or a date that is not a calendar day is a
// broken invariant. utcDateOf gives the UTC calendar day of an instant, whatever offset it was written in.
// businessTimestamp puts the wall clock's time of day on the business date: its UTC day is the business date.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addDays,
  AssertionError,
  businessTimestamp,
  CALENDAR_DAYS_MAX,
  daysBetween,
  daysInMonth,
  utcDateOf,
} from '../src';

/** Dates of 1900 .. 2199: far enough from year 0 that a walk to the bound stays in four-digit years. */
const dates = fc
  .record({
    year: fc.integer({ min: 1900, max: 2199 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .map(
    ({ year, month, day }) =>
      `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, daysInMonth(year, month))).padStart(2, '0')}`,
  );

/** The next calendar day, from the month lengths alone. */
function nextDay(dateText: string): string {
  const [year, month, day] = dateText.split('-').map(Number);
  const pad = (value: number) => String(value).padStart(2, '0');
  if (day < daysInMonth(year, month)) return `${year}-${pad(month)}-${pad(day + 1)}`;
  return month < 12 ? `${year}-${pad(month + 1)}-01` : `${year + 1}-01-01`;
}

/** Checks each [date, days, expected] move. */
function assertMoves(moves: readonly [string, number, string][]): void {
  for (const [date, days, expected] of moves)
    assert.equal(addDays(date, days), expected, `${date} ${days >= 0 ? '+' : ''}${days}`);
}

describe('addDays', () => {
  it('moves forward across month and year ends', () => {
    assertMoves([
      ['2026-05-15', 0, '2026-05-15'],
      ['2026-05-15', 1, '2026-05-16'],
      ['2026-01-31', 1, '2026-02-01'],
      ['2026-04-30', 1, '2026-05-01'],
      ['2026-12-31', 1, '2027-01-01'],
      ['2026-12-15', 31, '2027-01-15'],
      ['2026-01-01', 365, '2027-01-01'],
    ]);
  });

  it('moves back with a negative count', () => {
    assertMoves([
      ['2026-05-16', -1, '2026-05-15'],
      ['2026-03-01', -1, '2026-02-28'],
      ['2027-01-01', -1, '2026-12-31'],
      ['2027-01-01', -365, '2026-01-01'],
    ]);
  });

  it('knows leap years: Feb 29 in 2028 and 2000, not in 2027 or 2100', () => {
    assertMoves([
      ['2028-02-28', 1, '2028-02-29'],
      ['2028-02-29', 1, '2028-03-01'],
      ['2028-03-01', -1, '2028-02-29'],
      ['2027-02-28', 1, '2027-03-01'],
      ['2100-02-28', 1, '2100-03-01'],
      ['2000-02-28', 1, '2000-02-29'],
      ['2028-01-01', 365, '2028-12-31'],
      ['2028-02-29', 365, '2029-02-28'],
    ]);
  });

  it('walks up to its bound and no further', () => {
    assert.equal(daysBetween('2026-01-01', addDays('2026-01-01', CALENDAR_DAYS_MAX)), CALENDAR_DAYS_MAX);
    assert.equal(daysBetween(addDays('2026-01-01', -CALENDAR_DAYS_MAX), '2026-01-01'), CALENDAR_DAYS_MAX);
    assert.throws(() => addDays('2026-01-01', CALENDAR_DAYS_MAX + 1), AssertionError);
    assert.throws(() => addDays('2026-01-01', -CALENDAR_DAYS_MAX - 1), AssertionError);
  });

  it('refuses fractional or non-finite counts and dates that are not calendar days', () => {
    for (const days of [0.5, -1.5, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(() => addDays('2026-01-01', days), AssertionError, `${days}`);
    for (const date of [
      '2026-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '26-01-01',
      '2026-1-1',
      '2026-01-01T00:00:00Z',
      '',
    ]) {
      assert.throws(() => addDays(date, 1), AssertionError, date);
    }
  });

  it('steps one calendar day at a time, is undone by the opposite move and agrees with daysBetween', () => {
    const distances = fc.oneof(
      fc.integer({ min: -1_000, max: 1_000 }),
      fc.integer({ min: -CALENDAR_DAYS_MAX, max: CALENDAR_DAYS_MAX }),
    );
    fc.assert(
      fc.property(dates, distances, (date, days) => {
        assert.equal(addDays(date, 1), nextDay(date));
        const moved = addDays(date, days);
        assert.equal(addDays(moved, -days), date);
        assert.equal(days >= 0 ? daysBetween(date, moved) : -daysBetween(moved, date), days);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('utcDateOf', () => {
  it('is the UTC calendar day of the instant', () => {
    assert.equal(utcDateOf(new Date('2026-11-22T00:00:00.000Z')), '2026-11-22');
    assert.equal(utcDateOf(new Date('2026-11-22T23:59:59.999Z')), '2026-11-22');
    assert.equal(utcDateOf(new Date('2026-12-31T23:59:59.999Z')), '2026-12-31');
    assert.equal(utcDateOf(new Date('2028-02-29T12:00:00.000Z')), '2028-02-29');
  });

  it('ignores the offset the instant was written in', () => {
    assert.equal(utcDateOf(new Date('2026-11-23T07:59:59+08:00')), '2026-11-22');
    assert.equal(utcDateOf(new Date('2026-11-23T08:00:00+08:00')), '2026-11-23');
    assert.equal(utcDateOf(new Date('2026-12-31T20:00:00-05:00')), '2027-01-01');
  });

  it('moves with addDays: the instant n days later falls on the date n days later', () => {
    const instants = fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2199-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instants, fc.integer({ min: -10_000, max: 10_000 }), (instant, days) => {
        assert.equal(utcDateOf(new Date(instant.getTime() + days * 86_400_000)), addDays(utcDateOf(instant), days));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an invalid date', () => {
    assert.throws(() => utcDateOf(new Date('not a date')), AssertionError);
  });
});

describe('businessTimestamp', () => {
  it("is the business date with the wall clock's UTC time of day, ahead of or behind the wall clock", () => {
    assert.equal(
      businessTimestamp('2027-03-31', new Date('2026-11-22T08:15:30.250Z')).toISOString(),
      '2027-03-31T08:15:30.250Z',
    );
    assert.equal(
      businessTimestamp('2026-11-20', new Date('2026-11-22T23:59:59.999Z')).toISOString(),
      '2026-11-20T23:59:59.999Z',
    );
    assert.equal(
      businessTimestamp('2028-02-29', new Date('2026-11-23T07:59:59+08:00')).toISOString(),
      '2028-02-29T23:59:59.000Z',
    );
  });

  it('always falls on the business date', () => {
    const instants = fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2199-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dates, instants, (date, instant) => assert.equal(utcDateOf(businessTimestamp(date, instant)), date)),
      { numRuns: 500 },
    );
  });

  it('refuses a date that is not a calendar day and an invalid wall clock', () => {
    assert.throws(() => businessTimestamp('2026-02-30', new Date()), AssertionError);
    assert.throws(() => businessTimestamp('2026-02-01', new Date('not a date')), AssertionError);
  });
});
