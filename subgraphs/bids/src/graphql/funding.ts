import { fundingProgress } from '../domain/bid-rules';
import type { Funding } from '../entities/funding.entity';
import type { FundingNode } from './funding.type';

/** The contract's view of a funding row; a loan bids has not heard of (not opened yet) has raised nothing. */
export function toFundingNode(funding: Funding | null): FundingNode {
  if (funding === null) return { raisedFen: 0n, remainingFen: 0n, bidCount: 0, progress: 0 };
  return {
    raisedFen: funding.raisedFen,
    remainingFen: funding.amountFen - funding.raisedFen,
    bidCount: funding.bidCount,
    progress: fundingProgress(funding.raisedFen, funding.amountFen),
  };
}
