import { parseCalendarDate, type EventSubscription, type JsonObject } from '@wanxin/platform';
import { BusinessDay } from '../entities/business-day.entity';

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
 * `repayments.business-date.advanced` → a `business_days` row, nothing else: the expiry calls the bank,
 * which never happens inside the inbox's transaction, so the daily job (jobs/run-business-days.ts) runs it.
 */
export const businessDayOnDateAdvanced: EventSubscription<{ date: string }> = {
  name: 'business-day-on-date-advanced',
  type: 'repayments.business-date.advanced',
  version: 1,
  decode: decodeBusinessDate,
  async handle(em, { date }) {
    // Idempotent by the date as well as by the inbox: a day announced twice runs once.
    if ((await em.count(BusinessDay, { date })) > 0) return;
    await em.insert(em.create(BusinessDay, { date, receivedAt: new Date() }, { persist: false }));
  },
};
