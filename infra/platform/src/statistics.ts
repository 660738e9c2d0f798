import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { Field, ObjectType } from 'type-graphql';
import { assert } from './assert';
import { requireRole } from './auth/guards';
import { CommonErrors } from './errors';
import { divideRoundHalfUp, RATE_SCALE_MICROS } from './money';
import { runSql } from './raw-sql';
import { parseCalendarDate } from './scalars';
import { addDays, addMonthsClamped, daysBetween, utcDateOf } from './schedule/calendar';
import type { SubgraphContext } from './subgraph';

/**
 * The admins' `statistics` read model (Step 11): one `StatisticsRow` per business day or month, federated by
 * `period` — each subgraph counts the facts it owns in its own `statistics_days` table (business date →
 * bigint counters, kept by inbox consumers of its events or, on a hot path, in the transaction that records
 * the facts) and folds those days into the periods asked for.
 */

export const GRANULARITIES = ['DAY', 'MONTH'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Longest range one `statistics` answer covers, in days (both ends included): three years with a leap day. */
export const STATISTICS_DAYS_MAX = 1_096;

const MONTH_PERIOD = /^[0-9]{4}-[0-9]{2}$/;

/** The period `date` falls in: the date itself (DAY) or its month, YYYY-MM (MONTH). */
export function periodOf(date: string, granularity: Granularity): string {
  return granularity === 'DAY' ? date : date.slice(0, 7);
}

/** The first and last day of a period key (YYYY-MM-DD or YYYY-MM); throws RangeError on anything else. */
export function daysOfPeriod(period: string): { first: string; last: string } {
  if (!MONTH_PERIOD.test(period)) {
    const day = parseCalendarDate(period);
    return { first: day, last: day };
  }
  const first = parseCalendarDate(`${period}-01`);
  return { first, last: addDays(addMonthsClamped(first, 1), -1) };
}

/**
 * Every period of [from, to], oldest first, none skipped (a chart needs every day); a MONTH period is the
 * whole month, from and to only say which months. Bad input is the client's: `from` after `to`, or more
 * than STATISTICS_DAYS_MAX days.
 */
export function statisticsPeriods(from: string, to: string, granularity: Granularity): string[] {
  if (from > to) throw CommonErrors.badInput('from', `${from} is after to ${to}`);
  const days = daysBetween(from, to) + 1;
  if (days > STATISTICS_DAYS_MAX) {
    throw CommonErrors.badInput('to', `${from} to ${to} is ${days} days; at most ${STATISTICS_DAYS_MAX} are counted`);
  }
  const periods: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const period = periodOf(day, granularity);
    if (periods[periods.length - 1] !== period) periods.push(period);
  }
  return periods;
}

/** A subgraph's counters of one business day, each a bigint (a count or fen). */
export type DayCounters<C extends string> = { readonly [Counter in C]: bigint };

/**
 * Sums days into periods: each period's counters are the sum of its days' (a day without a row counted
 * nothing). Days outside every period are ignored; the answer has one entry per period, in their order.
 */
export function foldDays<C extends string>(
  periods: readonly string[],
  counters: readonly C[],
  days: readonly (DayCounters<C> & { businessDate: string })[],
): Map<string, DayCounters<C>> {
  const sums = new Map<string, Record<C, bigint>>();
  // A day may fall in several periods of one batch (a day's key and its month's, asked together).
  const periodsOfDay = new Map<string, string[]>();
  for (const period of periods) {
    sums.set(period, Object.fromEntries(counters.map((counter) => [counter, 0n])) as Record<C, bigint>);
    const { first, last } = daysOfPeriod(period);
    for (let day = first; day <= last; day = addDays(day, 1)) {
      periodsOfDay.set(day, [...(periodsOfDay.get(day) ?? []), period]);
    }
  }
  for (const day of days) {
    for (const period of periodsOfDay.get(day.businessDate) ?? []) {
      const sum = sums.get(period)!;
      for (const counter of counters) sum[counter] += day[counter];
    }
  }
  return sums;
}

/**
 * The overdue rate in millionths: of what fell due, the part left unpaid past its due date, rounded half up, 0
 * when nothing fell due. No cap: the unpaid part is counted when the installment falls overdue, the amount due
 * by a consumer of the day's business-date event, so for a moment the first may be counted before the second.
 */
export function overdueRateMicros(amountDueOverdueFen: bigint, amountDueFen: bigint): number {
  assert(amountDueOverdueFen >= 0n && amountDueFen >= 0n, 'amounts overdue and due are not negative');
  if (amountDueFen === 0n) return 0;
  const micros = divideRoundHalfUp(amountDueOverdueFen * BigInt(RATE_SCALE_MICROS), amountDueFen);
  assert(micros <= BigInt(Number.MAX_SAFE_INTEGER), `overdue rate ${micros} micros is not a safe integer`);
  return Number(micros);
}

/** The business date at which a fact happened, from a payload that may predate the field. */
export function businessDateOrElse(businessDate: string | undefined, fallback: () => Promise<string>): Promise<string> {
  // Publishers older than the field sent none: the consumer's own clock is the best date left.
  return businessDate === undefined ? fallback() : Promise.resolve(businessDate);
}

/**
 * Adds to a day's counters atomically: the day's row is created with zeros if missing (the dialect's insert
 * ignore), then one `col = col + n` UPDATE, so concurrent consumers never lose a count (MariaDB and SQLite).
 * Runs in the caller's transaction (the inbox's: a duplicate delivery adds nothing).
 */
export async function addToStatisticsDay<T extends { businessDate: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  businessDate: string,
  increments: Partial<Record<keyof T & string, bigint>>,
): Promise<void> {
  const meta = em.getMetadata().get(entity.name);
  const entries = Object.entries(increments as Record<string, bigint>).filter(([, amount]) => amount !== 0n);
  if (entries.length === 0) return;
  for (const [, amount] of entries) assert(amount > 0n, `statistics counters only grow, got ${amount}`);
  await em
    .createQueryBuilder(entity)
    .insert({ businessDate: parseCalendarDate(businessDate) } as never)
    .onConflict('businessDate' as never)
    .ignore()
    .execute();
  const columnOf = (property: string) => meta.properties[property as keyof T & string].fieldNames[0];
  const sets = entries.map(([property, amount]) => `${columnOf(property)} = ${columnOf(property)} + (${amount})`);
  const updated = await runSql(em, `update ${meta.tableName} set ${sets.join(', ')} where business_date = ?`, [
    businessDate,
  ]);
  assert(updated === 1, `one ${meta.tableName} row for ${businessDate}, ${updated} updated`);
}

/**
 * Adds many facts to their days' counters, summed by day first: one insert and one UPDATE per day, however many
 * facts (a batch of repaid installments counts in one statement, not one each).
 */
export async function addToStatisticsDays<T extends { businessDate: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  facts: readonly { businessDate: string; increments: Partial<Record<keyof T & string, bigint>> }[],
): Promise<void> {
  const days = new Map<string, Record<string, bigint>>();
  for (const { businessDate, increments } of facts) {
    const day = days.get(businessDate) ?? {};
    for (const [counter, amount] of Object.entries(increments as Record<string, bigint>)) {
      day[counter] = (day[counter] ?? 0n) + amount;
    }
    days.set(businessDate, day);
  }
  // In date order: two transactions adding to the same days lock their rows in the same order (no deadlock).
  for (const [businessDate, increments] of [...days].sort(([left], [right]) => (left < right ? -1 : 1))) {
    await addToStatisticsDay(em, entity, businessDate, increments as Partial<Record<keyof T & string, bigint>>);
  }
}

/**
 * A `StatisticsRow` reference (the gateway's `_entities` with the period key): ADMIN only, every period of
 * the request read with one query of `entity` spanning them all (the request's DataLoader), then folded.
 */
export async function statisticsReferenceCounters<
  T extends DayCounters<C> & { businessDate: string },
  C extends string,
>(
  reference: Record<string, unknown>,
  context: SubgraphContext,
  entity: EntityClass<T>,
  counters: readonly C[],
): Promise<DayCounters<C> & { period: string }> {
  requireRole(context, ['ADMIN']);
  const period = String(reference.period);
  try {
    daysOfPeriod(period);
  } catch (error) {
    throw CommonErrors.badInput('period', (error as Error).message);
  }
  // Batches as large as the longest answer (1,096 days): one statement for any range the root query allows.
  const loader = context.loaders.get<string, DayCounters<C>>(
    `${entity.name}:statistics`,
    async (periods, em) => {
      const sums = await countersOfPeriods(em, entity, periods, counters);
      return periods.map((key) => sums.get(key)!);
    },
    STATISTICS_DAYS_MAX,
  );
  return { period, ...(await loader.load(period)) };
}

/**
 * Each period's counters: the days of whole periods (a MONTH row counts its whole month, so every subgraph
 * answers the same key alike), read with one query spanning them all.
 */
export async function countersOfPeriods<T extends DayCounters<C> & { businessDate: string }, C extends string>(
  em: EntityManager,
  entity: EntityClass<T>,
  periods: readonly string[],
  counters: readonly C[],
): Promise<Map<string, DayCounters<C>>> {
  const spans = periods.map(daysOfPeriod);
  const first = spans.map((span) => span.first).reduce((min, day) => (day < min ? day : min));
  const last = spans.map((span) => span.last).reduce((max, day) => (day > max ? day : max));
  return foldDays(periods, counters, await loadStatisticsDays(em, entity, first, last));
}

/** The days of [first, last] that counted something: one row per day at most, so the range bounds the read. */
export async function loadStatisticsDays<T extends { businessDate: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  first: string,
  last: string,
): Promise<T[]> {
  return em.find(entity, { businessDate: { $gte: first, $lte: last } } as never, {
    limit: daysBetween(first, last) + 1,
    disableIdentityMap: true,
  });
}

/**
 * The key of the admins' `StatisticsRow`, which users, loans and repayments each extend with the counters
 * they own (`class StatisticsRowNode extends StatisticsKey`, with `@key(fields: "period")`).
 */
@ObjectType()
export abstract class StatisticsKey {
  @Field(() => String, {
    description: 'The business day (YYYY-MM-DD, granularity DAY) or month (YYYY-MM, MONTH) the row counts.',
  })
  period!: string;
}

/**
 * The business date a subgraph that hears the clock (`repayments.business-date.advanced`, kept in its
 * `business_days` table) knows: the latest day announced; before any, the day repayments' clock starts at
 * (BUSINESS_DATE_START, else the UTC date — repayments takes it at its first start, the same day).
 */
export async function knownBusinessDate(
  em: EntityManager,
  businessDays: EntityClass<{ date: string }>,
  businessDateStart: string | undefined,
  now: Date,
): Promise<string> {
  const [latest] = await em.find(businessDays, {}, { orderBy: { date: 'desc' }, fields: ['date'], limit: 1 });
  return latest?.date ?? businessDateStart ?? utcDateOf(now);
}
