import { businessDateSubscription } from '@wanxin/platform';
import { BusinessDay } from '../entities/business-day.entity';

/**
 * `repayments.business-date.advanced` → a `business_days` row, nothing else: the expiry calls the bank,
 * which never happens inside the inbox's transaction, so the daily job (jobs/run-business-days.ts) runs it.
 */
export const businessDayOnDateAdvanced = businessDateSubscription('business-day-on-date-advanced', async (em, date) => {
  // Idempotent by the date as well as by the inbox: a day announced twice runs once.
  if ((await em.count(BusinessDay, { date })) > 0) return;
  await em.insert(em.create(BusinessDay, { date, receivedAt: new Date() }, { persist: false }));
});
