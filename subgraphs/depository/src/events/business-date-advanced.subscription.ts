import { parseCalendarDate, type EventSubscription, type JsonObject } from '@wanxin/platform';
import { ReconciliationRun } from '../entities/reconciliation-run.entity';

/** `{ date }` when it is a calendar date YYYY-MM-DD; null otherwise (the message is dead-lettered). */
function decodeDate(payload: JsonObject): { date: string } | null {
  try {
    return typeof payload.date === 'string' ? { date: parseCalendarDate(payload.date) } : null;
  } catch {
    return null;
  }
}

/**
 * `repayments.business-date.advanced` → the day's `reconciliation_runs` row, still to run: reading the
 * bank's file is a bank call, which never happens inside the inbox's transaction (jobs/reconcile-business-days.ts).
 */
export const reconciliationRunOnDateAdvanced: EventSubscription<{ date: string }> = {
  name: 'reconciliation-run-on-date-advanced',
  type: 'repayments.business-date.advanced',
  version: 1,
  decode: decodeDate,
  async handle(em, { date }) {
    // Idempotent by the date as well as by the inbox: a day announced twice is reconciled once.
    if ((await em.count(ReconciliationRun, { date })) > 0) return;
    await em.insert(em.create(ReconciliationRun, { date, requestedAt: new Date() }, { persist: false }));
  },
};
