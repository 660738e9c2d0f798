import {
  addToStatisticsDay,
  businessDateOrElse,
  businessDateSubscription,
  knownBusinessDate,
  subscribeTo,
} from '@wanxin/platform';
import { UserRegistered } from '@wanxin/platform/contracts';
import { BusinessDay } from '../entities/business-day.entity';
import { StatisticsDay } from '../entities/statistics-day.entity';

/** `repayments.business-date.advanced` → a `business_days` row: the date registrations are stamped with. */
export const businessDayOnDateAdvanced = businessDateSubscription('business-day-on-date-advanced', async (em, date) => {
  // Idempotent by the date as well as by the inbox: a day announced twice is recorded once.
  if ((await em.count(BusinessDay, { date })) > 0) return;
  await em.insert(em.create(BusinessDay, { date }, { persist: false }));
});

/**
 * `users.user.registered` → newUsers += 1 on its business date (inbox: a duplicate delivery adds nothing).
 * A payload from a publisher older than `businessDate` counts on the date users knows when it is consumed.
 */
export const statisticsOnUserRegistered = subscribeTo(
  UserRegistered,
  'statistics-on-user-registered',
  async (em, payload) => {
    const date = await businessDateOrElse(payload.businessDate, () =>
      knownBusinessDate(em, BusinessDay, undefined, new Date()),
    );
    await addToStatisticsDay(em, StatisticsDay, date, { newUsers: 1n });
  },
);
