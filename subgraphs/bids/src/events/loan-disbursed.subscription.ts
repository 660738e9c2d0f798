import { subscribeTo } from '@wanxin/platform';
import { LoanDisbursed } from '@wanxin/platform/contracts';
import { BID_TRANSITIONS } from '../domain/bid-status';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';

/** `loans.loan.disbursed` → the paid-out FROZEN bids LOANED, the funding CLOSED. */
export const bidsOnLoanDisbursed = subscribeTo(
  LoanDisbursed,
  'bids-on-loan-disbursed',
  async (em, { loanId, bids }) => {
    const bidIds = bids.map((bid) => bid.bidId);
    const [from, to] = BID_TRANSITIONS.LEND;
    const moved = await em.nativeUpdate(Bid, { id: { $in: bidIds }, loanId, status: from }, { status: to });
    if (moved !== bidIds.length)
      throw new Error(`loans.loan.disbursed: loan ${loanId} paid ${bidIds.length} bids, ${moved} were FROZEN here`);
    await em.nativeUpdate(Funding, { loanId }, { status: 'CLOSED' });
  },
);
