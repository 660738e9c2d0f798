import { subscribeTo } from '@wanxin/platform';
import { LoanOpened } from '@wanxin/platform/contracts';
import { AutoInvestRun } from '../entities/auto-invest-run.entity';
import { Funding } from '../entities/funding.entity';
import type { BidsServices } from '../services';

/**
 * `loans.loan.opened` → the loan's funding row, FUNDRAISING with nothing raised, and the auto-invest run the
 * engine owes it (once: the inbox dedups, and a redelivery finds both rows).
 */
export const fundingOnLoanOpened = subscribeTo(LoanOpened, 'funding-on-loan-opened', async (em, opened) => {
  if ((await em.count(Funding, { loanId: opened.loanId })) > 0) return;
  const { loanId, loanNo, borrowerId, annualRateMicros, investorRateMicros, termMonths, repaymentMethod } = opened;
  const openedAt = new Date(opened.openedAt);
  await em.insert(
    em.create(
      Funding,
      {
        loanId,
        loanNo,
        borrowerId,
        amountFen: BigInt(opened.amountFen),
        annualRateMicros,
        investorRateMicros,
        termMonths,
        repaymentMethod,
        openedAt,
        raisedFen: 0n,
        bidCount: 0,
        status: 'FUNDRAISING',
      },
      { persist: false },
    ),
  );
  await em.insert(em.create(AutoInvestRun, { loanId, queuedAt: openedAt }, { persist: false }));
});

/** The same, waking the auto-invest job once the funding and its run are committed. */
export const fundingOnLoanOpenedWakingAutoInvest = (services: Pick<BidsServices, 'autoInvestor'>) => ({
  ...fundingOnLoanOpened,
  afterCommit: () => services.autoInvestor.wake(),
});
