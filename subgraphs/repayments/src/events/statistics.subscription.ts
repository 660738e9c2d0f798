import { addToStatisticsDay, businessDateOrElse, businessDateSubscription, subscribeTo } from '@wanxin/platform';
import { InstallmentOverdue, InstallmentRepaid } from '@wanxin/platform/contracts';
import { Installment } from '../entities/installment.entity';
import { StatisticsDay } from '../entities/statistics-day.entity';
import { currentBusinessDate } from '../jobs/daily-run';
import { installmentsDueOn } from '../store';

/*
 * The repayments part of the admins' statistics, kept from its own events by inbox consumers (a duplicate
 * delivery adds nothing). A payload from a publisher older than `businessDate` is counted on the business
 * date the clock says when it is consumed: the best date left.
 */

/** `repayments.installment.repaid` → amountRepaid += principal + interest + penalty. */
export const statisticsOnInstallmentRepaid = subscribeTo(
  InstallmentRepaid,
  'statistics-on-installment-repaid',
  async (em, payload) => {
    const date = await businessDateOrElse(payload.businessDate, () => currentBusinessDate(em));
    const amountRepaidFen = BigInt(payload.amountFen) + BigInt(payload.penaltyFen);
    await addToStatisticsDay(em, StatisticsDay, date, { amountRepaidFen });
  },
);

/** `repayments.installment.overdue` on the day an installment fell OVERDUE → amountOverdue += principal + interest. */
export const statisticsOnInstallmentOverdue = subscribeTo(
  InstallmentOverdue,
  'statistics-on-installment-overdue',
  async (em, payload) => {
    let amountOverdueFen: bigint;
    if (payload.fellOverdueFen !== undefined) amountOverdueFen = BigInt(payload.fellOverdueFen);
    else if (payload.businessDate === undefined && payload.overdueDays === 1) {
      // An older publisher's day 1: the amount from the row, whose principal and interest overdue keeps.
      const installment = await em.findOneOrFail(Installment, { id: payload.installmentId });
      amountOverdueFen = installment.principalFen + installment.interestFen;
    } else return;
    const date = await businessDateOrElse(payload.businessDate, () => currentBusinessDate(em));
    await addToStatisticsDay(em, StatisticsDay, date, { amountOverdueFen });
  },
);

/**
 * `repayments.business-date.advanced` → installmentsDue and amountDue of that day += its installments and
 * their principal + interest.
 * Counted once the day has run: an installment due that day is then collected or left to fall overdue, and
 * no later schedule falls due on a past day.
 */
export const statisticsOnDateAdvanced = businessDateSubscription('statistics-on-date-advanced', async (em, date) =>
  addToStatisticsDay(em, StatisticsDay, date, await installmentsDueOn(em, date)),
);
