import { assert } from '@wanxin/platform';
import { newBankRequestNo as bankRequestNo } from '@wanxin/platform/bank-protocol';
import type { FundingStatus } from './bid-status';

/** The smallest bid by default (domain.md §2 step 6): BID_MIN_AMOUNT overrides it. */
export const BID_MIN_AMOUNT_DEFAULT = '100.00';

/** The limits a bid is checked against: the bids subgraph's settings. */
export interface BidLimits {
  /** The smallest bid, and the smallest remainder a bid may leave. */
  minBidFen: bigint;
  /** The most bids (PENDING and FROZEN) one loan takes: at most the platform's LOAN_BIDS_MAX. */
  bidsPerLoanMax: number;
}

/** What the check order needs to know about the loan's funding. */
export interface FundingSnapshot {
  status: FundingStatus;
  borrowerId: string;
  amountFen: bigint;
  raisedFen: bigint;
  /** PENDING and FROZEN bids: a refused freeze gives its place back. */
  bidCount: number;
}

/** Why a bid is refused before the bank is asked, in the order domain.md §2 step 6 checks. */
export type BidRefusal =
  | { rule: 'BELOW_MINIMUM'; minBidFen: bigint }
  | { rule: 'LOAN_NOT_FOUND' }
  | { rule: 'NOT_FUNDRAISING'; status: FundingStatus }
  | { rule: 'FILLED' }
  | { rule: 'OWN_LOAN' }
  | { rule: 'ABOVE_REMAINING'; remainingFen: bigint }
  | { rule: 'REMAINDER_BELOW_MINIMUM'; remainderFen: bigint; minBidFen: bigint }
  | { rule: 'BIDS_PER_LOAN_REACHED'; bidsPerLoanMax: number }
  | { rule: 'LAST_BID_LEAVES_REMAINDER'; remainingFen: bigint };

/** The remainder rule: what is left after a bid must be nothing or at least one more minimum bid. */
export function leavesValidRemainder(remainingFen: bigint, bidFen: bigint, minBidFen: bigint): boolean {
  const remainderFen = remainingFen - bidFen;
  return remainderFen === 0n || remainderFen >= minBidFen;
}

/**
 * How many more bids the loan takes: 0 when it holds `bidsPerLoanMax` (only possible when the setting
 * was lowered under it, or when it is full); 1 means the next bid must take the whole remainder.
 */
export function bidsLeft(bidCount: number, bidsPerLoanMax: number): number {
  assert(Number.isInteger(bidCount) && bidCount >= 0, `a bid count is a whole number, got ${bidCount}`);
  return Math.max(bidsPerLoanMax - bidCount, 0);
}

/**
 * The first rule a bid breaks, or null: amount ≥ minimum; loan FUNDRAISING (unknown → NOT_FOUND) with
 * something left; the investor is not the borrower; amount ≤ remaining; remainder 0 or ≥ minimum; the
 * loan takes one more bid, and the last one it takes leaves nothing (so a loan can always fill). The
 * bank freeze comes last.
 */
export function bidRefusal(
  funding: FundingSnapshot | null,
  investorId: string,
  bidFen: bigint,
  limits: BidLimits,
): BidRefusal | null {
  assert(limits.minBidFen > 0n, 'the minimum bid must be positive');
  assert(
    Number.isInteger(limits.bidsPerLoanMax) && limits.bidsPerLoanMax >= 1,
    `a loan takes at least one bid, got ${limits.bidsPerLoanMax}`,
  );
  if (bidFen < limits.minBidFen) return { rule: 'BELOW_MINIMUM', minBidFen: limits.minBidFen };
  if (funding === null) return { rule: 'LOAN_NOT_FOUND' };
  if (funding.status !== 'FUNDRAISING') return { rule: 'NOT_FUNDRAISING', status: funding.status };
  const remainingFen = funding.amountFen - funding.raisedFen;
  // Nothing left is a full loan, whether or not its last freezes are in and it is marked FULLY_FUNDED yet.
  if (remainingFen === 0n) return { rule: 'FILLED' };
  if (funding.borrowerId === investorId) return { rule: 'OWN_LOAN' };
  if (bidFen > remainingFen) return { rule: 'ABOVE_REMAINING', remainingFen };
  if (!leavesValidRemainder(remainingFen, bidFen, limits.minBidFen))
    return { rule: 'REMAINDER_BELOW_MINIMUM', remainderFen: remainingFen - bidFen, minBidFen: limits.minBidFen };
  const left = bidsLeft(funding.bidCount, limits.bidsPerLoanMax);
  if (left === 0) return { rule: 'BIDS_PER_LOAN_REACHED', bidsPerLoanMax: limits.bidsPerLoanMax };
  if (left === 1 && bidFen !== remainingFen) return { rule: 'LAST_BID_LEAVES_REMAINDER', remainingFen };
  return null;
}

/** A bid as the check order sees it. */
export interface BidAsk {
  investorId: string;
  amountFen: bigint;
}

/** What admitting bids in order did to one loan's funding. */
export interface Admission {
  /** Per bid, in order: null when taken, else the rule it broke when its turn came. */
  refusals: (BidRefusal | null)[];
  /** The funding once every taken bid counts (unchanged when none was taken). */
  after: FundingSnapshot | null;
}

/**
 * Bids on one loan checked in their order, each against the funding as the bids taken before it left it:
 * exactly what the conditional UPDATE of reserveFunding does one bid at a time, for a group that holds
 * the funding's row lock.
 */
export function admitBids(funding: FundingSnapshot | null, asks: readonly BidAsk[], limits: BidLimits): Admission {
  let current = funding;
  const refusals = asks.map(({ investorId, amountFen }) => {
    const refusal = bidRefusal(current, investorId, amountFen, limits);
    if (refusal === null)
      current = { ...current!, raisedFen: current!.raisedFen + amountFen, bidCount: current!.bidCount + 1 };
    return refusal;
  });
  if (current !== null) {
    assert(
      current.raisedFen <= current.amountFen,
      `admitted ${current.raisedFen} fen on a loan of ${current.amountFen}`,
    );
    assert(
      current.bidCount <= limits.bidsPerLoanMax || current === funding,
      `admitted a loan's bid ${current.bidCount} over ${limits.bidsPerLoanMax}`,
    );
  }
  return { refusals, after: current };
}

/** Share of the loan raised, 0 to 1 (the contract's `Funding.progress`). */
export function fundingProgress(raisedFen: bigint, amountFen: bigint): number {
  assert(raisedFen >= 0n && raisedFen <= amountFen, `raised ${raisedFen} must be within 0..${amountFen}`);
  if (amountFen === 0n) return 0;
  return Number((raisedFen * 1_000_000n) / amountFen) / 1_000_000;
}

/** A bank requestNo for freezing a bid (BD) or releasing it (BR). */
export function newBankRequestNo(prefix: 'BD' | 'BR'): string {
  return bankRequestNo(prefix);
}
