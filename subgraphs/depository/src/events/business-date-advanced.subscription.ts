import { businessDateSubscription } from '@wanxin/platform';
import { ReconciliationRun } from '../entities/reconciliation-run.entity';

/**
 * `repayments.business-date.advanced` → the day's `reconciliation_runs` row, still to run: reading the
 * bank's file is a bank call, which never happens inside the inbox's transaction (jobs/reconcile-business-days.ts).
 */
export const reconciliationRunOnDateAdvanced = businessDateSubscription(
  'reconciliation-run-on-date-advanced',
  async (em, date) => {
    // Idempotent by the date as well as by the inbox: a day announced twice is reconciled once.
    if ((await em.count(ReconciliationRun, { date })) > 0) return;
    await em.insert(em.create(ReconciliationRun, { date, requestedAt: new Date() }, { persist: false }));
  },
);
