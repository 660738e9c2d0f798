import { assert } from '../assert';
import { buildSchedule, type ScheduleTerms } from './schedule';
import { splitSchedule, type BidWeight } from './split';

/**
 * Stand-ins for bids not placed yet, sorting after every real bid id (ids are time-ordered hex and
 * dashes, so the bid about to be placed sorts after the loan's earlier ones and ties go its way the same).
 */
const PREVIEW_BID_ID = '~preview';
const REST_BID_ID = '~~rest';

/** A loan being raised as it stands, and the bid an investor thinks of placing on it. */
export interface BidPreviewTerms extends Omit<ScheduleTerms, 'principalFen' | 'annualRateMicros'> {
  /** The loan's amount: the schedule is built for it at the borrower's rate. */
  loanAmountFen: bigint;
  borrowerRateMicros: number;
  investorRateMicros: number;
  /** The loan's bids that count so far. */
  bids: readonly BidWeight[];
  /** The bid previewed. */
  amountFen: bigint;
}

/**
 * The interest a bid of `amountFen` would receive: Σ interest of its receivables as splitSchedule
 * shares the loan's schedule (the very function the payout uses), for the loan as it stands with this bid
 * added and, when the bid does not fill it, the rest raised by one more bid. Exact to the fen when that is
 * how the loan fills; other bids placed later can move the largest remainders by a fen.
 */
export function expectedInterestFen(terms: BidPreviewTerms): bigint {
  const { loanAmountFen, borrowerRateMicros, investorRateMicros, amountFen, termMonths, method, startDate } = terms;
  assert(amountFen > 0n, `a previewed bid must be positive, got ${amountFen}`);
  const bids = [...terms.bids, { bidId: PREVIEW_BID_ID, amountFen }];
  const restFen = loanAmountFen - bids.reduce((sum, bid) => sum + bid.amountFen, 0n);
  assert(restFen >= 0n, `the bids exceed the loan of ${loanAmountFen} fen by ${-restFen}`);
  if (restFen > 0n) bids.push({ bidId: REST_BID_ID, amountFen: restFen });
  const rows = buildSchedule({
    principalFen: loanAmountFen,
    annualRateMicros: borrowerRateMicros,
    termMonths,
    method,
    startDate,
  });
  const splits = splitSchedule(rows, { bids, borrowerRateMicros, investorRateMicros });
  const interestFen = splits.reduce((sum, split) => {
    const share = split.shares.find((candidate) => candidate.bidId === PREVIEW_BID_ID);
    assert(share !== undefined, 'the previewed bid has a share of every installment');
    return sum + share.interestFen;
  }, 0n);
  assert(interestFen >= 0n, `expected interest must not be negative, got ${interestFen}`);
  return interestFen;
}
