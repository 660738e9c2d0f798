import { addToStatisticsDay, businessDateOrElse, knownBusinessDate, subscribeTo } from '@wanxin/platform';
import { LoanDisbursed, LoanOpened } from '@wanxin/platform/contracts';
import { BusinessDay } from '../entities/business-day.entity';
import { StatisticsDay } from '../entities/statistics-day.entity';

/*
 * The loans part of the admins' statistics, kept from its own events by inbox consumers (a duplicate
 * delivery adds nothing). A payload from a publisher older than `businessDate` is counted on the business
 * date loans knows when it is consumed: the best date left.
 */

/** `loans.loan.opened` → loansPublished += 1. */
export const statisticsOnLoanOpened = subscribeTo(LoanOpened, 'statistics-on-loan-opened', async (em, payload) => {
  const date = await businessDateOrElse(payload.businessDate, () =>
    knownBusinessDate(em, BusinessDay, undefined, new Date()),
  );
  await addToStatisticsDay(em, StatisticsDay, date, { loansPublished: 1n });
});

/** `loans.loan.disbursed` → amountFunded += the principal paid out. */
export const statisticsOnLoanDisbursed = subscribeTo(
  LoanDisbursed,
  'statistics-on-loan-disbursed',
  async (em, payload) => {
    const date = await businessDateOrElse(payload.businessDate, () =>
      knownBusinessDate(em, BusinessDay, undefined, new Date()),
    );
    await addToStatisticsDay(em, StatisticsDay, date, { amountFundedFen: BigInt(payload.amountFen) });
  },
);
