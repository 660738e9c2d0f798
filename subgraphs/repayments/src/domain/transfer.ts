import { addDays, assert, daysBetween, divideRoundHalfUp, RATE_SCALE_MICROS } from '@wanxin/platform';
import { accruedInterestFen } from './early-repayment';
import { UNPAID_STATUSES, type InstallmentStatus } from './installment-status';

// Claim transfer (债权转让): an investor sells a whole holding — a LOANED bid's receivables not yet RECEIVED —
// to another investor at a price near its value (outstanding principal plus the interest accrued since the
// last due date), and the buyer is paid every later installment's share. The sale is two-phase like a
// collection: LISTED → SELLING (a buyer reserved it, the bank's CREDIT_ASSIGNMENT is on its way) → SOLD,
// or back to LISTED when the bank refuses.

export const TRANSFER_STATUSES = ['LISTED', 'SELLING', 'SOLD', 'CANCELLED', 'EXPIRED'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** A listing still on the market: at most one per bid (the entity's unique `openBidId`). */
export const OPEN_TRANSFER_STATUSES: readonly TransferStatus[] = ['LISTED', 'SELLING'];

export type TransferAction =
  | 'RESERVE' // a buyer took it: the bank is asked to move the money
  | 'SELL' // the bank moved it: the buyer holds the receivables
  | 'RELEASE' // the bank refused: on the market again
  | 'CANCEL' // the seller withdrew it
  | 'EXPIRE'; // the market closed it (listing days, overdue, a repayment)

/** The one transition table: action → [allowed from, to]. */
export const TRANSFER_TRANSITIONS: {
  readonly [Action in TransferAction]: readonly [from: readonly TransferStatus[], to: TransferStatus];
} = {
  RESERVE: [['LISTED'], 'SELLING'],
  SELL: [['SELLING'], 'SOLD'],
  RELEASE: [['SELLING'], 'LISTED'],
  CANCEL: [['LISTED'], 'CANCELLED'],
  EXPIRE: [['LISTED'], 'EXPIRED'],
};

/** Why a listing ended other than by a sale. */
export type TransferEndReason =
  | 'SELLER' // cancelTransfer
  | 'LISTING_DAYS' // TRANSFER_LISTING_DAYS passed unsold
  | 'OVERDUE' // an installment of the loan fell overdue
  | 'REPAID_EARLY' // the borrower paid the loan off
  | 'INSTALLMENT_COLLECTED' // an installment is being collected: the holding is about to change
  | 'PRINCIPAL_CHANGED'; // found at a purchase: the holding is no longer what was listed

/** The market's rules (services.ts reads them from the environment). */
export interface TransferRules {
  /** TRANSFER_HOLD_DAYS: business days from the payout before a holding may be listed. */
  holdDays: number;
  /** TRANSFER_LISTING_DAYS: business days a listing stays on the market. */
  listingDays: number;
  /** TRANSFER_PRICE_MIN_RATIO / MAX_RATIO of the holding's value, in millionths (0.90 = 900_000). */
  priceMinRatioMicros: number;
  priceMaxRatioMicros: number;
  /** TRANSFER_FEE_RATE: the platform's share of the price, in millionths. */
  feeRateMicros: number;
}

const RATIO_PATTERN = /^([0-9])(?:\.([0-9]{1,6}))?$/;

/** A ratio written "1.10" (0 to 9.999999) in millionths, or null when it is not one. */
export function parseRatioMicros(text: string): number | null {
  const match = RATIO_PATTERN.exec(text);
  if (match === null) return null;
  return Number(match[1]) * RATE_SCALE_MICROS + Number((match[2] ?? '').padEnd(6, '0'));
}

/** One of the holding's receivables with its installment's schedule data. */
export interface HoldingReceivable {
  period: number;
  dueDate: string;
  principalFen: bigint;
  interestFen: bigint;
  installmentStatus: InstallmentStatus;
  /** RECEIVED (or SETTLED_EARLY): its owner is fixed and it never moves with a sale. */
  received: boolean;
}

export interface HoldingValue {
  /** Σ principal of the receivables not yet RECEIVED: what the buyer will be paid back. */
  principalFen: bigint;
  /** Interest at the investor's rate since the last due date (ACT/365), capped at the current period's. */
  accruedInterestFen: bigint;
  valueFen: bigint;
}

/**
 * What a holding is worth on `businessDate`: its outstanding principal plus the interest accrued on it since
 * the last due date (or the payout), as repayEarly counts it but at the investor's rate — the buyer takes the
 * current period's whole interest, so the seller is paid for the days they held it.
 */
export function holdingValue(
  receivables: readonly HoldingReceivable[],
  startDate: string,
  businessDate: string,
  investorRateMicros: number,
): HoldingValue {
  const outstanding = receivables.filter((receivable) => !receivable.received);
  const principalFen = outstanding.reduce((sum, receivable) => sum + receivable.principalFen, 0n);
  const current = [...outstanding]
    .filter((receivable) => receivable.dueDate > businessDate)
    .sort((left, right) => left.period - right.period)[0];
  const lastDueDate = receivables
    .map((receivable) => receivable.dueDate)
    .filter((dueDate) => dueDate <= businessDate)
    .reduce((latest, dueDate) => (dueDate > latest ? dueDate : latest), startDate);
  const days = businessDate > lastDueDate ? daysBetween(lastDueDate, businessDate) : 0;
  const accrued =
    current === undefined ? 0n : accruedInterestFen(principalFen, investorRateMicros, days, current.interestFen);
  assert(accrued >= 0n && principalFen >= 0n, 'a holding is worth nothing negative');
  return { principalFen, accruedInterestFen: accrued, valueFen: principalFen + accrued };
}

/** Why a holding may not be listed on `businessDate`, or null when it may. */
export type ListingRefusal =
  { kind: 'OVERDUE' } | { kind: 'NOTHING_LEFT' } | { kind: 'HELD_TOO_SHORT'; heldDays: number; holdDays: number };

export function listingRefusal(
  receivables: readonly HoldingReceivable[],
  startDate: string,
  businessDate: string,
  holdDays: number,
): ListingRefusal | null {
  // Due and not collected counts as overdue: the holding is about to change, or already in arrears.
  const arrears = receivables.some(
    (receivable) => UNPAID_STATUSES.includes(receivable.installmentStatus) && receivable.dueDate <= businessDate,
  );
  if (arrears) return { kind: 'OVERDUE' };
  if (!receivables.some((receivable) => !receivable.received && receivable.principalFen > 0n))
    return { kind: 'NOTHING_LEFT' };
  const heldDays = businessDate > startDate ? daysBetween(startDate, businessDate) : 0;
  return heldDays < holdDays ? { kind: 'HELD_TOO_SHORT', heldDays, holdDays } : null;
}

/** The prices allowed for a holding worth `valueFen`: [min, max] fen, both included. */
export function priceWindow(
  valueFen: bigint,
  rules: Pick<TransferRules, 'priceMinRatioMicros' | 'priceMaxRatioMicros'>,
) {
  assert(rules.priceMinRatioMicros <= rules.priceMaxRatioMicros, 'the price window is not empty');
  const scale = BigInt(RATE_SCALE_MICROS);
  const low = valueFen * BigInt(rules.priceMinRatioMicros);
  // Exact bounds: the least fen at or above the low ratio, the most at or below the high one.
  return { minFen: (low + scale - 1n) / scale, maxFen: (valueFen * BigInt(rules.priceMaxRatioMicros)) / scale };
}

/** The platform's fee on a sale at `priceFen`: round-half-up(price × rate), less than the price. */
export function transferFeeFen(priceFen: bigint, feeRateMicros: number): bigint {
  assert(priceFen > 0n, `a price is positive, got ${priceFen}`);
  const feeFen = divideRoundHalfUp(priceFen * BigInt(feeRateMicros), BigInt(RATE_SCALE_MICROS));
  assert(feeFen < priceFen, `the fee ${feeFen} must leave the seller something of ${priceFen}`);
  return feeFen;
}

/** Listings made on or before this business date have had their `listingDays` by `businessDate`. */
export function listingCutoffDate(businessDate: string, listingDays: number): string {
  assert(Number.isInteger(listingDays) && listingDays >= 1, `a listing lasts at least a day, got ${listingDays}`);
  return addDays(businessDate, -listingDays);
}
