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

/**
 * `repayments.installment.overdue` on the day an installment fell OVERDUE → that day's amountOverdue and its due
 * date's amountDueOverdue += principal + interest.
 */
export const statisticsOnInstallmentOverdue = subscribeTo(
  InstallmentOverdue,
  'statistics-on-installment-overdue',
  async (em, payload) => {
    const fellOverdue = payload.fellOverdueFen !== undefined;
    // An older publisher's day 1 has no fellOverdueFen: overdueDays 1 without a businessDate says it is one.
    if (!fellOverdue && !(payload.businessDate === undefined && payload.overdueDays === 1)) return;
    let amountOverdueFen = fellOverdue ? BigInt(payload.fellOverdueFen!) : null;
    let dueDate = payload.dueDate ?? null;
    if (amountOverdueFen === null || dueDate === null) {
      // From the row, whose principal, interest and due date overdue keeps.
      const installment = await em.findOneOrFail(Installment, { id: payload.installmentId });
      amountOverdueFen ??= installment.principalFen + installment.interestFen;
      dueDate ??= installment.dueDate;
    }
    const date = await businessDateOrElse(payload.businessDate, () => currentBusinessDate(em));
    await addToStatisticsDay(em, StatisticsDay, date, { amountOverdueFen });
    await addToStatisticsDay(em, StatisticsDay, dueDate, { amountDueOverdueFen: amountOverdueFen });
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
