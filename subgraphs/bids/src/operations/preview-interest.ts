import { expectedInterestFen, type EntityManager, type RepaymentMethod } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import type { Funding } from '../entities/funding.entity';
import { currentBusinessDate } from './business-date';

/**
 * The interest a bid of `amountFen` on the funding would be paid: its share of the loan's schedule as the
 * payout splits it, for the loan as it stands (its counted bids) with this bid added. Null when the loan
 * cannot take the amount, or its row predates the borrower's rate being recorded.
 */
export async function previewInterestFen(
  em: EntityManager,
  funding: Funding,
  method: RepaymentMethod,
  amountFen: bigint,
  now: Date,
): Promise<bigint | null> {
  if (funding.annualRateMicros === null || amountFen > funding.amountFen - funding.raisedFen) return null;
  const counted = await em.find(
    Bid,
    { loanId: funding.loanId, status: { $in: ['PENDING', 'FROZEN'] } },
    {
      fields: ['id', 'amountFen'],
    },
  );
  const bids = counted.map((bid) => ({ bidId: bid.id, amountFen: bid.amountFen }));
  // Read after the funding row: a bid placed meanwhile can leave less room than it showed.
  if (bids.reduce((sum, bid) => sum + bid.amountFen, amountFen) > funding.amountFen) return null;
  return expectedInterestFen({
    loanAmountFen: funding.amountFen,
    borrowerRateMicros: funding.annualRateMicros,
    investorRateMicros: funding.investorRateMicros,
    bids,
    amountFen,
    termMonths: funding.termMonths,
    method,
    // As if paid out on the current business date: the DAILY method's interest depends on the days of each period.
    startDate: await currentBusinessDate(em, now),
  });
}
