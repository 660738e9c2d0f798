import { assert } from '../assert';
import { divideRoundHalfUp, RATE_MAX_MICROS } from '../money';
import { SCHEDULE_TERM_MONTHS_MAX } from './schedule';

// How a loan's installments are shared among its bids (domain.md §4): pro rata to the amounts bid, with
// the largest-remainder method applied to the loan's running totals, so every installment's shares add up
// to it, to the fen, and over the loan every bid gets back exactly its amount.

/** More bids than any loan can take; a bound on the work one split may do. */
export const SPLIT_BIDS_MAX = 10_000;

/**
 * Splits `totalFen` in proportion to `weights`: each part is its floor share, and the fen left over go
 * one each to the largest remainders, ties to the lower index. Σ parts = totalFen; no part is negative.
 */
export function allocateByLargestRemainder(totalFen: bigint, weights: readonly bigint[]): bigint[] {
  return largestRemainder(totalFen, weights).parts;
}

/**
 * Shares `addedFen` of an amount paid in pieces (an installment's penalty) so that, with the `heldFen`
 * each part already has of the earlier pieces, every part holds its largest-remainder share of the whole so
 * far (domain.md §4): this piece's part is the difference, and no part ever gives a fen back (see
 * advanceCumulative). Σ parts = addedFen.
 */
export function allocateCumulatively(
  addedFen: bigint,
  weights: readonly bigint[],
  heldFen: readonly bigint[],
): bigint[] {
  assert(addedFen >= 0n, `the amount to add must not be negative, got ${addedFen}`);
  assert(heldFen.length === weights.length, `${heldFen.length} held parts for ${weights.length} weights`);
  assert(
    heldFen.every((held) => held >= 0n),
    'a held part must not be negative',
  );
  const nextFen = advanceCumulative(heldFen, sumFen(heldFen) + addedFen, weights);
  return nextFen.map((next, index) => next - heldFen[index]);
}

interface Remainder {
  index: number;
  remainder: bigint;
  /** Whether one of the leftover fen went to this part. */
  gotLeftover: boolean;
}

function largestRemainder(totalFen: bigint, weights: readonly bigint[]): { parts: bigint[]; remainders: Remainder[] } {
  assert(totalFen >= 0n, `the total to allocate must not be negative, got ${totalFen}`);
  assert(
    weights.length >= 1 && weights.length <= SPLIT_BIDS_MAX,
    `1..${SPLIT_BIDS_MAX} weights, got ${weights.length}`,
  );
  const weightSum = weights.reduce((sum, weight) => {
    assert(weight >= 0n, `a weight must not be negative, got ${weight}`);
    return sum + weight;
  }, 0n);
  assert(weightSum > 0n, 'the weights must not all be zero');
  const parts = weights.map((weight) => (totalFen * weight) / weightSum);
  const remainders = weights.map((weight, index) => ({
    index,
    remainder: (totalFen * weight) % weightSum,
    gotLeftover: false,
  }));
  const ranked = [...remainders].sort((left, right) =>
    left.remainder === right.remainder ? left.index - right.index : left.remainder > right.remainder ? -1 : 1,
  );
  // Each floor loses less than one fen, so fewer fen than there are weights are left over.
  const leftoverFen = totalFen - parts.reduce((sum, part) => sum + part, 0n);
  assert(
    leftoverFen >= 0n && leftoverFen < BigInt(weights.length),
    `leftover ${leftoverFen} must be below ${weights.length}`,
  );
  for (let rank = 0; rank < Number(leftoverFen); rank += 1) {
    parts[ranked[rank].index] += 1n;
    ranked[rank].gotLeftover = true;
  }
  return { parts, remainders };
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

/** The loan a schedule is split for: its bids (the weights) and its two rates. */
export interface SplitTerms {
  bids: readonly BidWeight[];
  borrowerRateMicros: number;
  investorRateMicros: number;
}

/** The installments split before the ones at hand: their sums, and what each bid holds of them. */
export interface SplitSoFar {
  principalFen: bigint;
  /** The borrower's interest; the bids' interest is what `shares` hold. */
  interestFen: bigint;
  /** Every bid once: the Σ of its receivables over those installments. */
  shares: readonly BidShare[];
}

/**
 * Shares a loan's installments among its bids cumulatively (domain.md §4): a bid's principal up to
 * installment k is its largest-remainder share of the loan's principal up to k, and installment k's part
 * is the difference; so every installment splits exactly and, once the principal is all repaid, every bid
 * has received exactly its amount. The investors together earn the loan's interest to date scaled by
 * investorRate / borrowerRate (rounded half-up), shared the same way; the rest of each installment's
 * interest is the platform's commission. Ties go to the lower `bidId`, so bid order does not matter.
 * `soFar` continues a split (an early repayment re-splits the installments it rewrites): the fen the bids
 * already hold are where the cumulative split starts, and the result is what the same split of the whole
 * schedule would give when they came from it.
 */
export function splitSchedule(
  installments: readonly InstallmentParts[],
  terms: SplitTerms,
  soFar?: SplitSoFar,
): InstallmentSplit[] {
  const { borrowerRateMicros, investorRateMicros } = terms;
  assert(
    Number.isSafeInteger(investorRateMicros) &&
      investorRateMicros >= 0 &&
      investorRateMicros <= borrowerRateMicros &&
      borrowerRateMicros <= RATE_MAX_MICROS,
    `need 0 ≤ investor rate ${investorRateMicros} ≤ borrower rate ${borrowerRateMicros} ≤ ${RATE_MAX_MICROS}`,
  );
  assert(
    installments.length <= SCHEDULE_TERM_MONTHS_MAX,
    `at most ${SCHEDULE_TERM_MONTHS_MAX} installments, got ${installments.length}`,
  );
  const ordered = [...terms.bids].sort(byBidId);
  ordered.forEach((bid, index) => {
    assert(index === 0 || bid.bidId !== ordered[index - 1].bidId, `bid ${bid.bidId} appears twice`);
  });
  const weights = ordered.map((bid) => bid.amountFen);
  const held = heldSoFar(ordered, soFar);
  let principalHeldFen = held.map((share) => share.principalFen);
  let interestHeldFen = held.map((share) => share.interestFen);
  let loanPrincipalFen = soFar?.principalFen ?? 0n;
  let loanInterestFen = soFar?.interestFen ?? 0n;
  let investorsInterestFen = sumFen(interestHeldFen);
  assert(
    sumFen(principalHeldFen) === loanPrincipalFen,
    `the bids hold ${sumFen(principalHeldFen)} fen of ${loanPrincipalFen} principal so far`,
  );
  assert(
    investorsInterestFen <= loanInterestFen,
    `the bids hold ${investorsInterestFen} fen, more than the ${loanInterestFen} of interest so far`,
  );
  const splits = installments.map((installment) => {
    assert(installment.principalFen >= 0n && installment.interestFen >= 0n, 'installment parts must not be negative');
    loanPrincipalFen += installment.principalFen;
    loanInterestFen += installment.interestFen;
    // Clamped for a history split otherwise: the investors' part of one installment is 0..its interest.
    const investorsToDateFen = investorsInterestOf(loanInterestFen, borrowerRateMicros, investorRateMicros);
    const dueToInvestorsFen = investorsToDateFen - investorsInterestFen;
    const periodInvestorsFen = clampFen(dueToInvestorsFen, 0n, installment.interestFen);
    investorsInterestFen += periodInvestorsFen;
    const principalNextFen = advanceCumulative(principalHeldFen, loanPrincipalFen, weights);
    const interestNextFen = advanceCumulative(interestHeldFen, investorsInterestFen, weights);
    const shares = ordered.map((bid, index) => ({
      bidId: bid.bidId,
      principalFen: principalNextFen[index] - principalHeldFen[index],
      interestFen: interestNextFen[index] - interestHeldFen[index],
    }));
    principalHeldFen = principalNextFen;
    interestHeldFen = interestNextFen;
    const commissionFen = installment.interestFen - periodInvestorsFen;
    assert(
      sumFen(shares.map((share) => share.principalFen)) === installment.principalFen,
      'the principal parts must add up to the installment',
    );
    assert(
      sumFen(shares.map((share) => share.interestFen)) + commissionFen === installment.interestFen,
      'the interest parts and the commission must add up to the installment',
    );
    assert(commissionFen >= 0n, `commission must not be negative, got ${commissionFen}`);
    return { shares, commissionFen };
  });
  if (soFar === undefined && loanPrincipalFen === sumFen(weights)) {
    ordered.forEach((bid, index) => {
      const backFen = principalHeldFen[index];
      assert(backFen === bid.amountFen, `bid ${bid.bidId} gets ${backFen} of ${bid.amountFen} fen back`);
    });
  }
  return splits;
}

/** What each of the ordered bids holds so far: nothing for a fresh split. */
function heldSoFar(ordered: readonly BidWeight[], soFar: SplitSoFar | undefined): BidShare[] {
  if (soFar === undefined) return ordered.map((bid) => ({ bidId: bid.bidId, principalFen: 0n, interestFen: 0n }));
  const byBid = new Map(soFar.shares.map((share) => [share.bidId, share]));
  assert(
    byBid.size === soFar.shares.length && byBid.size === ordered.length,
    `${soFar.shares.length} held shares for ${ordered.length} bids`,
  );
  return ordered.map((bid) => {
    const share = byBid.get(bid.bidId);
    assert(share !== undefined, `no held share for bid ${bid.bidId}`);
    assert(share.principalFen >= 0n && share.interestFen >= 0n, `bid ${bid.bidId} must not hold a negative part`);
    return share;
  });
}

/** The investors' interest out of `interestFen` of the borrower's: scaled by the rates, half-up. */
function investorsInterestOf(interestFen: bigint, borrowerRateMicros: number, investorRateMicros: number): bigint {
  // A zero borrower rate means no interest at all, so the investors' part is zero too.
  if (borrowerRateMicros === 0) return 0n;
  return divideRoundHalfUp(interestFen * BigInt(investorRateMicros), BigInt(borrowerRateMicros));
}

/**
 * Each bid's cumulative part once the whole grows to `totalFen`: its largest-remainder share, but never
 * less than the `heldFen` it already has. Largest remainder alone can give a part one fen less for a larger
 * whole (the Alabama paradox); such a bid keeps its fen, and they are found among the bids that got a
 * leftover fen this time, smallest remainder first, ties to the higher index. Only when those do not
 * suffice do the other gaining bids give way, pro rata to their gain: a history held by per-installment
 * rounding can need it; 20,000 random loans split from nothing never did.
 */
function advanceCumulative(heldFen: readonly bigint[], totalFen: bigint, weights: readonly bigint[]): bigint[] {
  assert(totalFen >= sumFen(heldFen), `the whole ${totalFen} must not shrink below the ${sumFen(heldFen)} fen held`);
  const { parts: targetFen, remainders } = largestRemainder(totalFen, weights);
  const nextFen = targetFen.map((target, index) => (target > heldFen[index] ? target : heldFen[index]));
  let excessFen = sumFen(nextFen) - totalFen;
  if (excessFen > 0n) {
    const leftoverTakers = remainders
      .filter(({ index, gotLeftover }) => gotLeftover && targetFen[index] > heldFen[index])
      .sort((left, right) =>
        left.remainder === right.remainder ? right.index - left.index : left.remainder < right.remainder ? -1 : 1,
      );
    for (const { index } of leftoverTakers.slice(0, Number(excessFen))) {
      nextFen[index] -= 1n;
      excessFen -= 1n;
    }
  }
  if (excessFen > 0n) {
    const gainsFen = nextFen.map((next, index) => next - heldFen[index]);
    allocateByLargestRemainder(excessFen, gainsFen).forEach((givenBackFen, index) => {
      nextFen[index] -= givenBackFen;
    });
  }
  assert(sumFen(nextFen) === totalFen, `the cumulative parts add up to ${sumFen(nextFen)}, not ${totalFen}`);
  nextFen.forEach((next, index) => {
    assert(next >= heldFen[index], `part ${index} would shrink from ${heldFen[index]} to ${next}`);
  });
  return nextFen;
}

function byBidId(left: BidWeight, right: BidWeight): number {
  return left.bidId < right.bidId ? -1 : left.bidId > right.bidId ? 1 : 0;
}

function clampFen(valueFen: bigint, lowFen: bigint, highFen: bigint): bigint {
  return valueFen < lowFen ? lowFen : valueFen > highFen ? highFen : valueFen;
}

function sumFen(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}
