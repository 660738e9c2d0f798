import type { EntityManager } from '../db';
import { parseCalendarDate } from '../scalars';
import type { EventSubscription } from './consumer';
import type { JsonObject } from './event';

/**
 * The business date's event, published by repayments (which keeps the clock) once per day it runs: every
 * other subgraph's daily job is driven by it, day by day in order, so a skipped day is caught up.
 */
export const BUSINESS_DATE_ADVANCED_TYPE = 'repayments.business-date.advanced';

/** The payload's `date` when it is a calendar date YYYY-MM-DD, else null (the message is dead-lettered). */
export function decodeBusinessDate({ date }: JsonObject): { date: string } | null {
  if (typeof date !== 'string') return null;
  try {
    return { date: parseCalendarDate(date) };
  } catch {
    return null;
  }
}

/**
 * A subscription that records each announced day with `recordDay` (idempotent by the date as well as by
 * the inbox) and nothing else: a daily job that calls the bank runs outside the inbox's transaction.
 */
export function businessDateSubscription(name: string, recordDay: (em: EntityManager, date: string) => Promise<void>): EventSubscription<{ date: string }> {
  return { name, type: BUSINESS_DATE_ADVANCED_TYPE, version: 1, decode: decodeBusinessDate, handle: (em, { date }) => recordDay(em, date) };
}
