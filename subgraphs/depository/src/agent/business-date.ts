import { utcDateOf, type EntityManager } from '@wanxin/platform';
import { ReconciliationRun } from '../entities/reconciliation-run.entity';

/**
 * The business date as the depository heard it: the latest day announced by repayments' clock
 * (`repayments.business-date.advanced`, recorded as that day's reconciliation run; the business date only
 * moves forward), or the wall clock's UTC day before any announcement, which is where the clock starts.
 * Every instruction is stamped with it (its `accountingDate` at the bank, `businessDate` here).
 */
export async function currentBusinessDate(em: EntityManager, now = new Date()): Promise<string> {
  const [latest] = await em.find(ReconciliationRun, {}, { orderBy: { date: 'desc' }, fields: ['date'], limit: 1 });
  return latest?.date ?? utcDateOf(now);
}
