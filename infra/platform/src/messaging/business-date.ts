import { BusinessDateAdvanced, type BusinessDateAdvancedPayload } from '../contracts';
import type { EntityManager } from '../db';
import type { EventSubscription } from './consumer';

/**
 * The business date's event, published by repayments (which keeps the clock) once per day it runs: every
 * other subgraph's daily job is driven by it, day by day in order, so a skipped day is caught up.
 */
export const BUSINESS_DATE_ADVANCED_TYPE = BusinessDateAdvanced.type;

/**
 * A subscription that records each announced day with `recordDay` (idempotent by the date as well as by
 * the inbox) and nothing else: a daily job that calls the bank runs outside the inbox's transaction.
 */
export function businessDateSubscription(
  name: string,
  recordDay: (em: EntityManager, date: string) => Promise<void>,
): EventSubscription<BusinessDateAdvancedPayload> {
  const { type, version } = BusinessDateAdvanced;
  return { name, type, version, contract: BusinessDateAdvanced, handle: (em, { date }) => recordDay(em, date) };
}
