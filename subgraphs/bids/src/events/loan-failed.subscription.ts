import { LOAN_BIDS_MAX, subscribeTo } from '@wanxin/platform';
import { LoanFailed } from '@wanxin/platform/contracts';
import { newBankRequestNo } from '../domain/bid-rules';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import type { BidsServices } from '../services';

/**
 * `loans.loan.failed` → the funding CLOSED and, on every FROZEN or PENDING bid, the CANCEL_PRE_TRANSACTION
 * requestNo stored (before any call, in the inbox's transaction). The settle job sends them outside any
 * transaction, again until the bank answers, and marks each bid REFUNDED (jobs/settle-bids.ts): woken as
 * soon as the event is handled, so the investors have their money back at once, not at the next pass.
 */
export const bidsOnLoanFailed = (services: Pick<BidsServices, 'settler'>) =>
  subscribeTo(
    LoanFailed,
    'bids-on-loan-failed',
    async (em, { loanId }) => {
      await em.nativeUpdate(Funding, { loanId }, { status: 'CLOSED' });
      const bids = await em.find(
        Bid,
        { loanId, status: { $in: ['FROZEN', 'PENDING'] }, releaseRequestNo: null },
        { limit: LOAN_BIDS_MAX },
      );
      for (const bid of bids) {
        await em.nativeUpdate(
          Bid,
          { id: bid.id, releaseRequestNo: null },
          { releaseRequestNo: newBankRequestNo('BR') },
        );
      }
    },
    () => services.settler.wake(),
  );
