import { subscribeTo } from '@wanxin/platform';
import { LoanOpened } from '@wanxin/platform/contracts';
import { Funding } from '../entities/funding.entity';

/** `loans.loan.opened` → the loan's funding row, FUNDRAISING with nothing raised (once: the inbox dedups). */
export const fundingOnLoanOpened = subscribeTo(LoanOpened, 'funding-on-loan-opened', async (em, opened) => {
  if ((await em.count(Funding, { loanId: opened.loanId })) > 0) return;
  const { loanId, loanNo, borrowerId, annualRateMicros, investorRateMicros, termMonths, repaymentMethod } = opened;
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
        openedAt: new Date(opened.openedAt),
        raisedFen: 0n,
        bidCount: 0,
        status: 'FUNDRAISING',
      },
      { persist: false },
    ),
  );
});
