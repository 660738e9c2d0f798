// The pure parts of the admins' statistics: the periods of a range (every day or month, none skipped, the
// bounds refused as BAD_USER_INPUT), the period keys' days, folding days into periods, the overdue rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import {
  daysOfPeriod,
  foldDays,
  formatRate,
  overdueRateMicros,
  periodOf,
  STATISTICS_DAYS_MAX,
  statisticsPeriods,
} from '../src';

function badInputField(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof GraphQLError, `a GraphQLError, got ${String(error)}`);
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    return String(error.extensions.field);
  }
  assert.fail('expected BAD_USER_INPUT');
}

test('DAY periods are every day of the range, both ends included, across month and year ends', () => {
  assert.deepEqual(statisticsPeriods('2026-12-30', '2027-01-02', 'DAY'), [
    '2026-12-30',
    '2026-12-31',
    '2027-01-01',
    '2027-01-02',
  ]);
  assert.deepEqual(statisticsPeriods('2028-02-28', '2028-03-01', 'DAY'), ['2028-02-28', '2028-02-29', '2028-03-01']);
  assert.deepEqual(statisticsPeriods('2026-12-05', '2026-12-05', 'DAY'), ['2026-12-05']);
});

test('MONTH periods are every month the range touches, oldest first', () => {
  assert.deepEqual(statisticsPeriods('2026-11-30', '2027-02-01', 'MONTH'), [
    '2026-11',
    '2026-12',
    '2027-01',
    '2027-02',
  ]);
  assert.deepEqual(statisticsPeriods('2026-12-05', '2026-12-06', 'MONTH'), ['2026-12']);
  assert.equal(periodOf('2026-12-05', 'MONTH'), '2026-12');
  assert.equal(periodOf('2026-12-05', 'DAY'), '2026-12-05');
});

test(`a range of ${STATISTICS_DAYS_MAX} days is counted, one more day is refused, and so is from after to`, () => {
  assert.equal(statisticsPeriods('2026-01-01', '2028-12-31', 'DAY').length, STATISTICS_DAYS_MAX);
  assert.equal(statisticsPeriods('2026-01-01', '2028-12-31', 'MONTH').length, 36);
  assert.equal(
    badInputField(() => statisticsPeriods('2026-01-01', '2029-01-01', 'DAY')),
    'to',
  );
  assert.equal(
    badInputField(() => statisticsPeriods('2026-12-06', '2026-12-05', 'MONTH')),
    'from',
  );
});

test("a period key names its days: a date itself, a month's first to last day (leap years included)", () => {
  assert.deepEqual(daysOfPeriod('2026-12-05'), { first: '2026-12-05', last: '2026-12-05' });
  assert.deepEqual(daysOfPeriod('2028-02'), { first: '2028-02-01', last: '2028-02-29' });
  assert.deepEqual(daysOfPeriod('2027-02'), { first: '2027-02-01', last: '2027-02-28' });
  assert.deepEqual(daysOfPeriod('2026-12'), { first: '2026-12-01', last: '2026-12-31' });
  for (const bad of ['2026-13', '2026-1', '2026-02-30', 'December', '', '2026-12-05T00:00:00Z']) {
    assert.throws(() => daysOfPeriod(bad), RangeError, bad);
  }
});

test('days fold into their periods exactly; a period without days is zeros; days outside are ignored', () => {
  const days = [
    { businessDate: '2026-11-30', amountFen: 5n, count: 1n },
    { businessDate: '2026-12-01', amountFen: 999_999_999_999n, count: 2n },
    { businessDate: '2026-12-31', amountFen: 1n, count: 3n },
    { businessDate: '2027-02-01', amountFen: 7n, count: 4n },
  ];
  const months = foldDays(['2026-12', '2027-01'], ['amountFen', 'count'], days);
  assert.deepEqual(
    [...months.entries()],
    [
      ['2026-12', { amountFen: 1_000_000_000_000n, count: 5n }],
      ['2027-01', { amountFen: 0n, count: 0n }],
    ],
  );
  const mixed = foldDays(['2026-12-01', '2026-12'], ['count'], days);
  assert.deepEqual([...mixed.values()], [{ count: 2n }, { count: 5n }], 'a day and its month asked together');
  const dayRows = foldDays(['2026-11-30', '2026-12-01', '2026-12-02'], ['amountFen'], days);
  assert.deepEqual(
    [...dayRows.values()].map((sums) => sums.amountFen),
    [5n, 999_999_999_999n, 0n],
  );
});

test('the overdue rate is overdue ÷ due in millionths, half up, 0 when nothing fell due, and may pass 1', () => {
  assert.equal(overdueRateMicros(0n, 0n), 0);
  assert.equal(overdueRateMicros(5n, 0n), 0);
  assert.equal(overdueRateMicros(0n, 100n), 0);
  assert.equal(formatRate(overdueRateMicros(1n, 3n)), '0.333333');
  assert.equal(formatRate(overdueRateMicros(2n, 3n)), '0.666667');
  assert.equal(formatRate(overdueRateMicros(1n, 2_000_000n)), '0.000001'); // 0.5 micro rounds up
  assert.equal(formatRate(overdueRateMicros(1n, 2_000_001n)), '0.00'); // just under half: down
  assert.equal(formatRate(overdueRateMicros(300n, 200n)), '1.50');
  // Money-sized operands stay exact (bigint all the way).
  assert.equal(overdueRateMicros(999_999_999_999n, 999_999_999_999n), 1_000_000);
});
