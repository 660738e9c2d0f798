import { assert, divideRoundHalfUp, MONEY_MAX_FEN, RATE_MAX_MICROS } from '@wanxin/platform';

/**
 * A borrower's revolving credit line (seed 002, "授信额度"): the risk provider's approval sets the limit,
 * publishing a loan uses its amount, a rejected, cancelled or failed listing gives it back, and each
 * repaid principal restores that much. Pure arithmetic in fen; the database applies each change with a
 * conditional update in the transaction that makes it, so concurrency never gets past these rules.
 *
 * Invariant: `usedFen` is the sum of the outstanding uses of the borrower's loans, so a release never
 * exceeds what its loan still holds.
 */
export interface CreditLine {
  limitFen: bigint;
  usedFen: bigint;
}

function assertLine(line: CreditLine): void {
  assert(
    line.limitFen >= 0n && line.limitFen <= MONEY_MAX_FEN,
    `a limit is 0 to ${MONEY_MAX_FEN}, got ${line.limitFen}`,
  );
  assert(line.usedFen >= 0n, `a line's use is not negative, got ${line.usedFen}`);
}

/** A new line: nothing used yet. */
export function grantCreditLine(limitFen: bigint): CreditLine {
  const line = { limitFen, usedFen: 0n };
  assertLine(line);
  return line;
}

/**
 * A re-approval replaces the limit and keeps what is used: loans already published still hold it. A lower
 * limit may leave `usedFen` above it; nothing more is available until repayments bring it back under.
 */
export function reapproveCreditLine(line: CreditLine, limitFen: bigint): CreditLine {
  assertLine(line);
  const next = { limitFen, usedFen: line.usedFen };
  assertLine(next);
  return next;
}

/** limit − used, or 0 when a lowered limit left the line over-used. */
export function creditAvailableFen(line: CreditLine): bigint {
  assertLine(line);
  return line.usedFen >= line.limitFen ? 0n : line.limitFen - line.usedFen;
}

export type CreditUse = { ok: true; line: CreditLine } | { ok: false; availableFen: bigint };

/** Uses `amountFen` of the line for a new loan, or refuses (CREDIT_LIMIT_EXCEEDED) when less is available. */
export function useCredit(line: CreditLine, amountFen: bigint): CreditUse {
  assert(amountFen > 0n, `a loan uses a positive amount, got ${amountFen}`);
  const availableFen = creditAvailableFen(line);
  if (amountFen > availableFen) return { ok: false, availableFen };
  const next = { limitFen: line.limitFen, usedFen: line.usedFen + amountFen };
  assert(next.usedFen <= next.limitFen, 'a use never takes a line over its limit');
  return { ok: true, line: next };
}

/** A line after giving back part of one loan's use, and what that loan still holds. */
export interface CreditRelease {
  line: CreditLine;
  loanOutstandingUseFen: bigint;
}

function release(line: CreditLine, amountFen: bigint, loanOutstandingUseFen: bigint): CreditRelease {
  assertLine(line);
  assert(amountFen >= 0n, `a release is not negative, got ${amountFen}`);
  assert(
    amountFen <= loanOutstandingUseFen,
    `a loan gives back at most what it holds: ${amountFen} > ${loanOutstandingUseFen}`,
  );
  assert(loanOutstandingUseFen <= line.usedFen, `a loan holds at most the line's use: ${loanOutstandingUseFen}`);
  return {
    line: { limitFen: line.limitFen, usedFen: line.usedFen - amountFen },
    loanOutstandingUseFen: loanOutstandingUseFen - amountFen,
  };
}

/** A listing rejected, cancelled or failed: the loan gives back everything it still holds. */
export function giveBackCredit(line: CreditLine, loanOutstandingUseFen: bigint): CreditRelease {
  return release(line, loanOutstandingUseFen, loanOutstandingUseFen);
}

/**
 * A repaid installment restores its principal. A loan's principal is the amount it used, so the repaid
 * principals of one loan add up to at most its use; a surplus would be a double-counted repayment.
 */
export function restoreCredit(
  line: CreditLine,
  repaidPrincipalFen: bigint,
  loanOutstandingUseFen: bigint,
): CreditRelease {
  return release(line, repaidPrincipalFen, loanOutstandingUseFen);
}

/** The score priced at the highest rate, and the one priced at the lowest: linear between them. */
export const SCORE_AT_MAX_RATE = 600;
export const SCORE_AT_MIN_RATE = 900;

/**
 * What pricing is configured with, in rate micros: the risk-priced range, the legal ceiling for private
 * lending, the platform's commission (`commissionMicrosOf` the loan rates) and the investor rate's floor.
 */
export interface CreditPricing {
  minRateMicros: number;
  maxRateMicros: number;
  ceilingRateMicros: number;
  commissionMicros: number;
  investorRateFloorMicros: number;
}

/**
 * The settings' defaults, as Rate strings: 8 % to 20 % from score 900 to 600, the 24 % ceiling of the
 * Supreme People's Court's private-lending rule, investors earning at least 3 %.
 */
export const CREDIT_PRICING_DEFAULTS = {
  minRate: '0.08',
  maxRate: '0.20',
  ceilingRate: '0.24',
  investorRateFloor: '0.03',
} as const;

/** Why a pricing configuration is inconsistent, or null: checked at start, like the loan rates. */
export function creditPricingProblem(pricing: CreditPricing): string | null {
  const { minRateMicros, maxRateMicros, ceilingRateMicros, commissionMicros, investorRateFloorMicros } = pricing;
  if (minRateMicros <= 0) return 'the lowest credit rate must be above 0';
  if (minRateMicros > maxRateMicros) return 'the lowest credit rate may not exceed the highest';
  if (maxRateMicros > ceilingRateMicros) return 'the highest credit rate may not exceed the legal ceiling';
  if (ceilingRateMicros > RATE_MAX_MICROS) return 'the legal ceiling may not exceed 100 %';
  if (commissionMicros < 0) return 'the commission may not be negative';
  if (investorRateFloorMicros < 0 || investorRateFloorMicros > minRateMicros) {
    return "the investor rate's floor must lie between 0 and the lowest credit rate";
  }
  return null;
}

/**
 * The annual rate a line is priced at from its score: the highest rate at 600 or below, the lowest at
 * 900 or above, linear between, rounded half-up to the micro, never above the ceiling.
 */
export function priceAnnualRate(score: number, pricing: CreditPricing): number {
  assert(Number.isInteger(score), `a score is a whole number, got ${score}`);
  assert(creditPricingProblem(pricing) === null, 'the pricing is validated at start');
  const scoreSpan = SCORE_AT_MIN_RATE - SCORE_AT_MAX_RATE;
  const stepsAboveFloor = Math.min(Math.max(score - SCORE_AT_MAX_RATE, 0), scoreSpan);
  const discountMicros = divideRoundHalfUp(
    BigInt(pricing.maxRateMicros - pricing.minRateMicros) * BigInt(stepsAboveFloor),
    BigInt(scoreSpan),
  );
  const rateMicros = Math.min(pricing.maxRateMicros - Number(discountMicros), pricing.ceilingRateMicros);
  assert(
    rateMicros >= pricing.minRateMicros && rateMicros <= pricing.maxRateMicros,
    `a priced rate lies in the configured range, got ${rateMicros}`,
  );
  return rateMicros;
}

/**
 * The rate a line lends at now: the rate it was priced at, or the legal ceiling when that was lowered
 * after the approval, since no loan may exceed the ceiling in force.
 */
export function lineRateMicros(pricedRateMicros: number, pricing: CreditPricing): number {
  assert(Number.isSafeInteger(pricedRateMicros) && pricedRateMicros > 0, `a line's rate is positive micros`);
  return Math.min(pricedRateMicros, pricing.ceilingRateMicros);
}

/**
 * Why a borrower's offered rate is refused, or null: at least the line's risk price (a borrower may offer
 * more to attract investors, never less) and at most the legal ceiling.
 */
export function offeredRateProblem(
  offeredMicros: number,
  lineRateMicros: number,
  ceilingRateMicros: number,
): string | null {
  assert(lineRateMicros <= ceilingRateMicros, "the line's rate is priced under the ceiling");
  if (offeredMicros < lineRateMicros) return "must be at least your credit line's rate";
  if (offeredMicros > ceilingRateMicros) return 'must be at most the legal ceiling';
  return null;
}

/**
 * What investors earn on a loan at `annualRateMicros`: less the commission, never under the floor (the
 * platform takes less instead), and never more than the borrower pays (a line priced before the floor
 * was raised).
 */
export function investorRateFor(annualRateMicros: number, pricing: CreditPricing): number {
  assert(creditPricingProblem(pricing) === null, 'the pricing is validated at start');
  assert(Number.isSafeInteger(annualRateMicros) && annualRateMicros > 0, `a loan's rate is positive micros`);
  const afterCommissionMicros = annualRateMicros - pricing.commissionMicros;
  const investorRateMicros = Math.min(
    Math.max(afterCommissionMicros, pricing.investorRateFloorMicros),
    annualRateMicros,
  );
  assert(investorRateMicros >= 0, 'investors never earn a negative rate');
  return investorRateMicros;
}

export type LoanRatesFromLine =
  { ok: true; annualRateMicros: number; investorRateMicros: number } | { ok: false; problem: string };

/** createLoan's rates: the line's rate unless the borrower offers another one, and the investors' share. */
export function ratesFromCreditLine(
  offeredMicros: number | undefined,
  lineRateMicros: number,
  pricing: CreditPricing,
): LoanRatesFromLine {
  const annualRateMicros = offeredMicros ?? lineRateMicros;
  const problem = offeredRateProblem(annualRateMicros, lineRateMicros, pricing.ceilingRateMicros);
  if (problem !== null) return { ok: false, problem };
  return { ok: true, annualRateMicros, investorRateMicros: investorRateFor(annualRateMicros, pricing) };
}
