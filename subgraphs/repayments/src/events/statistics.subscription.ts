import { addToStatisticsDay, businessDateSubscription } from '@wanxin/platform';
import { StatisticsDay } from '../entities/statistics-day.entity';
import { installmentsDueOn } from '../store';

/*
 * The repayments part of the admins' statistics. Repaid and overdue amounts are counted in the transaction that
 * records them and publishes their events, summed once a batch (operations/record-repayment.ts,
 * jobs/daily-run.ts): a consumer of repayments' own events would be a second transaction for every installment
 * of a due day, on the day's busiest path. What the day's run leaves due is counted from its own event, once.
 */

/**
 * `repayments.business-date.advanced` → installmentsDue and amountDue of that day += its installments and
 * their principal + interest.
 * Counted once the day has run: an installment due that day is then collected or left to fall overdue, and
 * no later schedule falls due on a past day.
 */
export const statisticsOnDateAdvanced = businessDateSubscription('statistics-on-date-advanced', async (em, date) =>
  addToStatisticsDay(em, StatisticsDay, date, await installmentsDueOn(em, date)),
);
