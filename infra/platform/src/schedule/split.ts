import { assert } from '../assert';
import { divideRoundHalfUp, RATE_MAX_MICROS } from '../money';

// How one installment is shared among the loan's bids (domain.md §4): pro rata to the amounts bid, with
// the largest-remainder method so the shares add up to the whole, to the fen, every time.

/** More bids than any loan can take; a bound on the work one split may do. */
export const SPLIT_BIDS_MAX = 10_000;

/**
 * Splits `totalFen` in proportion to `weights`: each part is its floor share, and the fen left over go
 * one each to the largest remainders, ties to the lower index. Σ parts = totalFen; no part is negative.
 */
export function allocateByLargestRemainder(totalFen: bigint, weights: readonly bigint[]): bigint[] {
  assert(totalFen >= 0n, `the total to allocate must not be negative, got ${totalFen}`);
  assert(weights.length >= 1 && weights.length <= SPLIT_BIDS_MAX, `1..${SPLIT_BIDS_MAX} weights, got ${weights.length}`);
  const weightSum = weights.reduce((sum, weight) => {
    assert(weight >= 0n, `a weight must not be negative, got ${weight}`);
    return sum + weight;
  }, 0n);
  assert(weightSum > 0n, 'the weights must not all be zero');
  const parts = weights.map((weight) => (totalFen * weight) / weightSum);
  const remainders = weights.map((weight, index) => ({ index, remainder: (totalFen * weight) % weightSum }));
  remainders.sort((left, right) => (left.remainder === right.remainder ? left.index - right.index : left.remainder > right.remainder ? -1 : 1));
  // Each floor loses less than one fen, so fewer fen than there are weights are left over.
  const leftoverFen = totalFen - parts.reduce((sum, part) => sum + part, 0n);
  assert(leftoverFen >= 0n && leftoverFen < BigInt(weights.length), `leftover ${leftoverFen} must be below ${weights.length}`);
  for (let rank = 0; rank < Number(leftoverFen); rank += 1) parts[remainders[rank].index] += 1n;
  return parts;
}

export interface InstallmentParts {
  principalFen: bigint;
  interestFen: bigint;
}

export interface BidWeight {
  bidId: string;
  amountFen: bigint;
}

export interface BidShare {
  bidId: string;
  principalFen: bigint;
  interestFen: bigint;
}

export interface InstallmentSplit {
  /** One per bid, in ascending `bidId` order. */
  shares: BidShare[];
  /** The platform's part of the interest: the borrower's rate less the investor's. */
  commissionFen: bigint;
}

/**
 * Shares one installment among the bids. The investors together earn the installment's interest scaled by
 * investorRate / borrowerRate (rounded half-up); the rest is the platform's commission. Principal and
 * investors' interest are each allocated by largest remainder, ties to the lower `bidId`, so the result
 * does not depend on the order the bids arrive in.
 */
export function splitInstallment(
  installment: InstallmentParts,
  bids: readonly BidWeight[],
  borrowerRateMicros: number,
  investorRateMicros: number,
): InstallmentSplit {
  assert(installment.principalFen >= 0n && installment.interestFen >= 0n, 'installment parts must not be negative');
  assert(
    Number.isSafeInteger(investorRateMicros) && investorRateMicros >= 0 && investorRateMicros <= borrowerRateMicros && borrowerRateMicros <= RATE_MAX_MICROS,
    `need 0 ≤ investor rate ${investorRateMicros} ≤ borrower rate ${borrowerRateMicros} ≤ ${RATE_MAX_MICROS}`,
  );
  const ordered = [...bids].sort((left, right) => (left.bidId < right.bidId ? -1 : left.bidId > right.bidId ? 1 : 0));
  ordered.forEach((bid, index) => assert(index === 0 || bid.bidId !== ordered[index - 1].bidId, `bid ${bid.bidId} appears twice`));
  // A zero borrower rate means no interest at all, so the investors' part is zero too.
  const investorsInterestFen = borrowerRateMicros === 0
    ? 0n
    : divideRoundHalfUp(installment.interestFen * BigInt(investorRateMicros), BigInt(borrowerRateMicros));
  const weights = ordered.map((bid) => bid.amountFen);
  const principalParts = allocateByLargestRemainder(installment.principalFen, weights);
  const interestParts = allocateByLargestRemainder(investorsInterestFen, weights);
  const commissionFen = installment.interestFen - investorsInterestFen;
  assert(commissionFen >= 0n, `commission must not be negative, got ${commissionFen}`);
  return {
    shares: ordered.map((bid, index) => ({ bidId: bid.bidId, principalFen: principalParts[index], interestFen: interestParts[index] })),
    commissionFen,
  };
}
