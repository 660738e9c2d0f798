import { businessDateSubscription } from '@wanxin/platform';
import { BusinessDay } from '../entities/business-day.entity';

/** `repayments.business-date.advanced` → a `business_days` row: where the day's bids begin (platformStats). */
export const businessDayOnDateAdvanced = businessDateSubscription('business-day-on-date-advanced', async (em, date) => {
  // The first announcement stands: a day announced again does not move its start.
  if ((await em.count(BusinessDay, { date })) > 0) return;
  await em.insert(em.create(BusinessDay, { date, receivedAt: new Date() }, { persist: false }));
});
