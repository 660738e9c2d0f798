import { isId, type EventSubscription, type JsonObject } from '@wanxin/platform';
import { BID_TRANSITIONS } from '../domain/bid-status';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';

export interface LoanDisbursed {
  loanId: string;
  bidIds: string[];
}

/** Reads the loan id and the paid-out bid ids of `loans.loan.disbursed`. */
export function decodeLoanDisbursed(payload: JsonObject): LoanDisbursed | null {
  const { loanId, bids } = payload;
  if (typeof loanId !== 'string' || !isId(loanId) || !Array.isArray(bids) || bids.length === 0 || bids.length > 1000) return null;
  const bidIds = bids.map((bid) => (typeof bid === 'object' && bid !== null && !Array.isArray(bid) && typeof bid.bidId === 'string' && isId(bid.bidId) ? bid.bidId : null));
  return bidIds.every((id) => id !== null) ? { loanId, bidIds: bidIds as string[] } : null;
}

/** `loans.loan.disbursed` → the paid-out FROZEN bids LOANED, the funding CLOSED. */
export const bidsOnLoanDisbursed: EventSubscription<LoanDisbursed> = {
  name: 'bids-on-loan-disbursed',
  type: 'loans.loan.disbursed',
  version: 1,
  decode: decodeLoanDisbursed,
  async handle(em, { loanId, bidIds }) {
    const [from, to] = BID_TRANSITIONS.LEND;
    const moved = await em.nativeUpdate(Bid, { id: { $in: bidIds }, loanId, status: from }, { status: to });
    if (moved !== bidIds.length) throw new Error(`loans.loan.disbursed: loan ${loanId} paid ${bidIds.length} bids, ${moved} were FROZEN here`);
    await em.nativeUpdate(Funding, { loanId }, { status: 'CLOSED' });
  },
};
