import {
  addToStatisticsDay,
  businessDateOrElse,
  businessDateSubscription,
  knownBusinessDate,
  subscribeTo,
  type EntityManager,
} from '@wanxin/platform';
import { UserRegistered } from '@wanxin/platform/contracts';
import { BusinessDay } from '../entities/business-day.entity';
import { StatisticsDay } from '../entities/statistics-day.entity';

/** Records a business day once (idempotent by the date as well as by the inbox: a day announced twice is one row). */
async function recordBusinessDay(em: EntityManager, date: string): Promise<void> {
  if ((await em.count(BusinessDay, { date })) > 0) return;
  await em.insert(em.create(BusinessDay, { date }, { persist: false }));
}

/** `repayments.business-date.advanced` → a `business_days` row: the date registrations are stamped with. */
export const businessDayOnDateAdvanced = businessDateSubscription('business-day-on-date-advanced', recordBusinessDay);

/**
 * At start, before any day is announced: the day repayments' clock starts at (BUSINESS_DATE_START, else the
 * UTC date of the first start, as repayments takes it). A table with a day already keeps it.
 */
export async function recordFirstBusinessDay(em: EntityManager, date: string): Promise<void> {
  if ((await em.count(BusinessDay, {})) > 0) return;
  try {
    await recordBusinessDay(em, date);
  } catch (error) {
    // Another instance started at the same moment and recorded it.
    if ((await em.count(BusinessDay, { date })) === 0) throw error;
  }
}

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
