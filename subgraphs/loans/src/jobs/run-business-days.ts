import type { EntityManager } from '@wanxin/platform';
import { BusinessDay } from '../entities/business-day.entity';
import type { LoansServices } from '../services';
import { addLoansExpired } from '../store';
import { expireFundingWindows } from './expire-funding-windows';

/** Days run per pass, oldest first; a longer backlog continues on the next pass. */
export const BUSINESS_DAYS_PER_PASS_MAX = 31;
const MILLISECONDS_PER_DAY = 86_400_000;

/** The close of business day `date` (YYYY-MM-DD): the next day's 00:00:00 UTC. */
export function closeOfBusinessDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + MILLISECONDS_PER_DAY);
}

export interface BusinessDaysReport {
  /** Days completed by this pass, in date order. */
  completed: string[];
  /** The day this pass stopped at, with the loans it left to retry; later days wait behind it. */
  waiting: { date: string; loansLeft: number } | null;
}

/**
 * The daily job: every recorded, uncompleted business day in date order, each one the funding-window
 * expiry as of its close. A day is completed only when its run left nothing to retry (a bank answer
 * missing, a batch too long); otherwise the pass stops there, so no day ever runs before an earlier one
 * is done. Running a day again is harmless: every move is conditional and every bank requestNo is reused.
 */
export async function runBusinessDays(
  services: LoansServices,
  em: EntityManager,
  now = new Date(),
): Promise<BusinessDaysReport> {
  const days = await em
    .fork()
    .find(BusinessDay, { completedAt: null }, { orderBy: { date: 'asc' }, limit: BUSINESS_DAYS_PER_PASS_MAX });
  const completed: string[] = [];
  for (const { date } of days) {
    const report = await expireFundingWindows(services, em.fork(), closeOfBusinessDay(date), now);
    if (report.expired > 0) await addLoansExpired(em.fork(), date, report.expired);
    if (report.left > 0) return { completed, waiting: { date, loansLeft: report.left } };
    await em.fork().nativeUpdate(BusinessDay, { date, completedAt: null }, { completedAt: now });
    completed.push(date);
  }
  return { completed, waiting: null };
}
