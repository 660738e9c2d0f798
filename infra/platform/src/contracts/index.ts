/**
 * Event contracts: one schema per event type and version, imported by the publisher (to build and check
 * the payload) and by every consumer (to decode it). zod v3 rather than valibot or TypeBox: its
 * `safeParse` returns the readable path-and-message issues we keep with a dead letter, `z.infer` gives the
 * publisher's compile-time type from the same schema, and unknown keys are stripped by default — which is
 * exactly the "additive changes within a version" rule (an older consumer ignores a newer field).
 *
 * Versioning: add optional-to-read fields within a version; anything else (rename, removal, new meaning,
 * new required field) is a new version, and consumers decode both versions while publishers migrate.
 */
import { z } from 'zod';
import { bankUserNoFor, isId } from '../ids';
import { LOAN_BIDS_MAX } from '../loan-bids';
import {
  defineEvent,
  type EventDefinition,
  type EventOptions,
  type EventType,
  type JsonObject,
} from '../messaging/event';
import { RATE_MAX_MICROS } from '../money';
import { isRepaymentMethod } from '../schedule/repayment-method';
import { parseCalendarDate } from '../scalars';

/** Longest signed risk answer a RiskAnswered event carries, in characters (the provider's are ~1 KB). */
export const RISK_ANSWER_TEXT_LENGTH_MAX = 16_000;
/** A loan's term bound in the events (3–36 months today): bounds the schedule one event may create. */
export const EVENT_TERM_MONTHS_MAX = 36;

/** Money travels as integer fen in a decimal string (JSON has no bigint): digits only, no sign, no point. */
export const fenString = z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'must be integer fen as a string of digits');
/** An amount that cannot be nothing: a loan's, a funding bid's. */
export const positiveFenString = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be positive integer fen as a string of digits');
const id = z.string().refine(isId, 'must be an id (UUID)');
const isoInstant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 instant');
const calendarDate = z.string().refine((text) => {
  try {
    parseCalendarDate(text);
    return true;
  } catch {
    return false;
  }
}, 'must be a calendar date YYYY-MM-DD');
const rateMicros = z.number().int().min(0).max(RATE_MAX_MICROS);
const termMonths = z.number().int().min(1).max(EVENT_TERM_MONTHS_MAX);
const repaymentMethod = z.string().refine(isRepaymentMethod, 'must be a repayment method');
/** The bank's projectNo of a loan. */
const loanNo = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be a loan number');
/** A REPAYMENT freeze's requestNo: its CONFIRM_REPAYMENT is derived from it. */
const collectionRequestNo = z.string().regex(/^RP[0-9A-F]{32}$/, 'must be a collection request number');
const period = z.number().int().positive();
/**
 * The business date at which the fact happened, stamped by the publisher from the business date it knew in
 * the same transaction (the admins' statistics count it on that day). Added within v1: a consumer meets
 * payloads without it from publishers that predate it, and falls back to its own clock.
 */
const businessDate = calendarDate.optional();

/** An event's definition plus the schema its payload must satisfy. */
export interface EventContract<TPayload extends JsonObject> extends EventDefinition<TPayload> {
  readonly schema: z.ZodType<TPayload, z.ZodTypeDef, unknown>;
}

export type PayloadOf<TContract> = TContract extends EventContract<infer TPayload> ? TPayload : never;

export type DecodeResult<TPayload> = { ok: true; payload: TPayload } | { ok: false; reason: string };

/** Pairs an event type and version with its payload schema; every event a consumer reads is defined by one. */
export function defineContract<TSchema extends z.ZodTypeAny>(
  type: EventType,
  version: number,
  schema: TSchema,
  options: EventOptions = {},
): EventContract<z.infer<TSchema> & JsonObject> {
  return { ...defineEvent<z.infer<TSchema> & JsonObject>(type, version, options), schema };
}

/** Checks a payload against its contract; the reason names each failing field. */
export function decodePayload<TPayload extends JsonObject>(
  contract: EventContract<TPayload>,
  payload: unknown,
): DecodeResult<TPayload> {
  const result = contract.schema.safeParse(payload);
  if (result.success) return { ok: true, payload: result.data };
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  return { ok: false, reason: `${contract.type} v${contract.version}: ${issues.join('; ')}` };
}

/** The bids a loan was funded by: distinct, at most LOAN_BIDS_MAX, adding up to `totalField`. */
function fundedBy<TShape extends z.ZodRawShape & { bids: z.ZodTypeAny }>(
  shape: TShape,
  totalField: keyof TShape & string,
) {
  return z.object(shape).superRefine((payload: Record<string, unknown>, context) => {
    const bids = payload.bids as { bidId: string; amountFen: string }[];
    if (new Set(bids.map((bid) => bid.bidId)).size !== bids.length) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['bids'], message: 'must not repeat a bid' });
    }
    // Refinements run on objects whose fields failed too: add up only amounts that are integers.
    const amounts = [...bids.map((bid) => bid.amountFen), payload[totalField] as string];
    if (!amounts.every((amount) => /^[0-9]+$/.test(amount))) return;
    const sumFen = bids.reduce((sum, bid) => sum + BigInt(bid.amountFen), 0n);
    if (sumFen !== BigInt(payload[totalField] as string)) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['bids'], message: `must add up to ${totalField}` });
    }
  });
}
const fundingBids = z
  .array(z.object({ bidId: id, investorId: id, amountFen: positiveFenString }))
  .min(1)
  .max(LOAN_BIDS_MAX);

// users
/** A new account exists. Depository opens its account row from it. */
export const UserRegistered = defineContract(
  'users.user.registered',
  1,
  z.object({ userId: id, role: z.string().min(1), registeredAt: isoInstant, businessDate }),
);
/**
 * The identity provider verified the user's real name and ID number (Step 9): depository opens the bank
 * account with exactly these, and they belong to this user alone.
 */
export const IdentityVerified = defineContract(
  'users.identity.verified',
  1,
  z.object({
    userId: id,
    realName: z.string().min(1).max(50),
    idNumber: z.string().regex(/^[0-9]{17}[0-9X]$/, 'must be an 18-character resident ID number'),
    verifiedAt: isoInstant,
  }),
);
/**
 * The risk provider approved the borrower's credit application: loans grants (or re-grants) the revolving
 * line of `limitFen`, priced from `score`.
 */
export const CreditApproved = defineContract(
  'users.credit.approved',
  1,
  z.object({
    userId: id,
    applicationId: id,
    score: z.number().int().min(300).max(900),
    limitFen: positiveFenString,
    grantedAt: isoInstant,
  }),
);

/**
 * The risk provider's signed answer to a credit application, as the callback received it (seed 002:
 * "风控异步回调信息放在mq中，业务系统监听mq消息，把消息保存到数据库中"). The callback only verifies it and
 * writes this event; users' consumer stores the report (once per answerId) and settles the application.
 */
export const RiskAnswered = defineContract(
  'users.risk.answered',
  1,
  z.object({
    answerId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be the provider's answer id"),
    applicationId: id,
    score: z.number().int().min(300).max(900),
    decision: z.enum(['APPROVED', 'REJECTED']),
    limitFen: fenString,
    assessedAt: isoInstant,
    /** The provider's signed message as received (JSON text), kept in the risk report. */
    rawAnswer: z.string().min(2).max(RISK_ANSWER_TEXT_LENGTH_MAX),
  }),
);

/**
 * A credit application changed status (submitted, reviewed, or settled by the risk provider's answer). No
 * subgraph acts on it: the gateway pushes `platformStats` from it, so the admins' pending reviews stay live.
 */
export const CreditApplicationChanged = defineContract(
  'users.credit.changed',
  1,
  z.object({
    userId: id,
    applicationId: id,
    status: z.enum(['SUBMITTED', 'MANUAL_REJECTED', 'RISK_PENDING', 'RISK_REJECTED', 'APPROVED']),
  }),
  { mayGoUnheard: true },
);

/**
 * Every token of the user issued at or before `revokedAt` stops working (an admin disabled the account):
 * every subgraph records it and refuses those tokens from then on (auth/revocations.ts).
 */
export const UserTokensRevoked = defineContract(
  'users.user.tokens-revoked',
  1,
  z.object({ userId: id, revokedAt: isoInstant }),
);

// depository
/** The bank opened the user's account: they may now borrow, bid and recharge. */
export const AccountOpened = defineContract(
  'depository.account.opened',
  1,
  z.object({ userId: id, userNo: z.string() }).refine(
    // Runs on a payload whose fields already failed too (zod refines dirty objects): check the id first.
    ({ userId, userNo }) => isId(userId) && userNo === bankUserNoFor(userId),
    // The agent derives the number from the id; anything else is not an account loans can register projects for.
    { path: ['userNo'], message: "must be the user's bank number" },
  ),
);
/** The bank refused to open the account; the user may try again. */
export const AccountOpeningFailed = defineContract(
  'depository.account.failed',
  1,
  z.object({ userId: id, userNo: z.string(), bankCode: z.string(), message: z.string() }),
  { mayGoUnheard: true },
);
const moneyMovement = z.object({ userId: id, requestNo: z.string().min(1), amountFen: fenString });
/**
 * The reconciliation of business day `date` completed (its counts are stored). No subgraph acts on it: the
 * gateway pushes `platformStats` from it, so the admins' last reconciliation stays live.
 */
export const ReconciliationCompleted = defineContract(
  'depository.reconciliation.completed',
  1,
  z.object({ date: calendarDate }),
  { mayGoUnheard: true },
);
/** Money arrived from the user's card. */
export const RechargeSucceeded = defineContract('depository.recharge.succeeded', 1, moneyMovement, {
  mayGoUnheard: true,
});
/** Money left for the user's card. */
export const WithdrawSucceeded = defineContract('depository.withdraw.succeeded', 1, moneyMovement, {
  mayGoUnheard: true,
});

// loans
const loanTerms = {
  loanId: id,
  loanNo,
  borrowerId: id,
  amountFen: positiveFenString,
  annualRateMicros: rateMicros,
  investorRateMicros: rateMicros,
  termMonths,
  repaymentMethod,
};
/** A loan's terms as `loans.loan.opened` and `loans.loan.disbursed` both carry them. */
export type LoanTermsPayload = z.infer<z.ZodObject<typeof loanTerms>>;
/** Approved and registered at the bank: open for bids (the funding window counts from `openedAt`). */
export const LoanOpened = defineContract(
  'loans.loan.opened',
  1,
  z
    .object({ ...loanTerms, openedAt: isoInstant, businessDate })
    .refine(({ annualRateMicros, investorRateMicros }) => investorRateMicros <= annualRateMicros, {
      path: ['investorRateMicros'],
      message: "must not exceed the borrower's rate",
    }),
);
/** FAILED (window expired or payout refused): bids release every freeze. */
export const LoanFailed = defineContract(
  'loans.loan.failed',
  1,
  // FUNDING_WINDOW_EXPIRED, or the admin's reason for refusing the payout.
  z.object({ loanId: id, reason: z.string().min(1) }),
);
/** Paid out at the bank (CONFIRM_LOAN): bids become LOANED, repayments builds the schedule. */
export const LoanDisbursed = defineContract(
  'loans.loan.disbursed',
  1,
  fundedBy(
    { ...loanTerms, disbursedAt: isoInstant, businessDate, feeFen: fenString, bids: fundingBids },
    'amountFen',
  ).refine(({ annualRateMicros, investorRateMicros }) => investorRateMicros <= annualRateMicros, {
    path: ['investorRateMicros'],
    message: "must not exceed the borrower's rate",
  }),
);

// bids
/** The bank froze a bid's amount: it counts toward the loan (raisedFen and bidCount once it counted). */
export const BidPlaced = defineContract(
  'bids.bid.placed',
  1,
  z.object({
    bidId: id,
    loanId: id,
    investorId: id,
    amountFen: fenString,
    raisedFen: fenString,
    bidCount: z.number().int().positive(),
    placedAt: isoInstant,
    /** Placed by the auto-invest engine for a rule (absent in events from before auto-invest). */
    auto: z.boolean().optional(),
  }),
  { mayGoUnheard: true },
);
/** Nothing remains and every bid is FROZEN: loans moves the loan to FULLY_FUNDED (Σ bids = raisedFen). */
export const LoanFullyFunded = defineContract(
  'bids.loan.fully-funded',
  1,
  fundedBy({ loanId: id, raisedFen: positiveFenString, bids: fundingBids }, 'raisedFen'),
);

// repayments
/** The borrower's money for an installment is frozen (amountFen = principal + interest, zero possible). */
export const InstallmentRepaid = defineContract(
  'repayments.installment.repaid',
  1,
  z.object({
    installmentId: id,
    loanId: id,
    borrowerId: id,
    period,
    // Zero is on the wire: an installment whose principal and interest an early repayment already took.
    amountFen: fenString,
    // The principal part of amountFen: what the borrower's credit line gets back. Added within v1, so a
    // consumer meets payloads without it from publishers that predate it.
    principalFen: fenString.optional(),
    penaltyFen: fenString,
    repaidAt: isoInstant,
    collectionRequestNo,
    businessDate,
  }),
);
/** An installment is overdue another day (penalty grown): for subscriptions and dashboards. */
export const InstallmentOverdue = defineContract(
  'repayments.installment.overdue',
  1,
  z.object({
    installmentId: id,
    loanId: id,
    borrowerId: id,
    period,
    overdueDays: z.number().int().nonnegative(),
    penaltyFen: fenString,
    businessDate,
  }),
  { mayGoUnheard: true },
);
/**
 * A reminder the borrower is sent by SMS (users owns the mobile and sends it): 2 days before the due date,
 * on overdue day 1 and on overdue day 2. Published with the reminder's row, once per (installment, kind).
 */
export const ReminderDue = defineContract(
  'repayments.reminder.due',
  1,
  z.object({
    reminderId: id,
    kind: z.enum(['DUE_SOON_SMS', 'OVERDUE_SMS', 'OVERDUE_REMINDER_SMS']),
    borrowerId: id,
    loanId: id,
    loanNo,
    installmentId: id,
    period,
    dueDate: calendarDate,
    // What the borrower owes for the installment that day: principal + interest (+ penalty when overdue).
    owedFen: fenString,
    overdueDays: z.number().int().nonnegative(),
  }),
);
/** Every installment is repaid: loans moves the loan to SETTLED. */
export const LoanSettled = defineContract(
  'repayments.loan.settled',
  1,
  z.object({ loanId: id, settledAt: isoInstant }),
);
/** The business date moved to `date` (one event per day, in order): the other subgraphs run their daily jobs. */
export const BusinessDateAdvanced = defineContract(
  'repayments.business-date.advanced',
  1,
  z.object({ date: calendarDate }),
);

// repayments: the claim-transfer market (债权转让). No subgraph acts on these: the gateway pushes
// `transferMarket` from them, so a front end's market stays live.
/** The holding a listing offers and its terms: what every transfer event carries. */
const transferListing = {
  transferId: id,
  bidId: id,
  loanId: id,
  sellerId: id,
  principalFen: positiveFenString,
  priceFen: positiveFenString,
  feeFen: fenString,
};
/** An investor put a holding on the market. */
export const TransferListed = defineContract(
  'repayments.transfer.listed',
  1,
  z.object({ ...transferListing, listedAt: isoInstant, businessDate }),
  { mayGoUnheard: true },
);
/** The bank moved the price (CREDIT_ASSIGNMENT `requestNo`): the buyer now holds the receivables not yet RECEIVED. */
export const TransferSold = defineContract(
  'repayments.transfer.sold',
  1,
  z.object({ ...transferListing, buyerId: id, soldAt: isoInstant, requestNo: z.string().min(1).max(40) }),
  { mayGoUnheard: true },
);
/** The seller withdrew the listing. */
export const TransferCancelled = defineContract(
  'repayments.transfer.cancelled',
  1,
  z.object({ ...transferListing, endedAt: isoInstant }),
  { mayGoUnheard: true },
);
/** The market closed the listing: its days passed, the loan fell overdue, was repaid early or is being collected. */
export const TransferExpired = defineContract(
  'repayments.transfer.expired',
  1,
  z.object({ ...transferListing, endedAt: isoInstant, reason: z.string().regex(/^[A-Z_]{1,24}$/) }),
  { mayGoUnheard: true },
);

// platform
/** Tags one change may carry; a transaction that touches more says `all` instead. */
export const CACHE_CHANGE_TAGS_MAX = 256;
/**
 * A transaction changed what some cached answers hold: the entities by tag (`Loan:<id>`, `User:<id>`), or
 * everything the subgraph serves (`all`: the change named no key). Written in the changing transaction by
 * the platform (read-cache/change-tags); every gateway replica's own queue hears it and drops what it held.
 */
export const CacheChanged = defineContract(
  'platform.cache.changed',
  1,
  z.object({
    subgraph: z.string().regex(/^[a-z]{1,20}$/),
    tags: z.array(z.string().regex(/^[A-Za-z]{1,40}:[0-9A-Za-z-]{1,64}$/)).max(CACHE_CHANGE_TAGS_MAX),
    all: z.boolean(),
  }),
  { mayGoUnheard: true },
);

/** The aggregate of BusinessDateAdvanced: one stream, so the days arrive in order. */
export const BUSINESS_DATE_AGGREGATE = 'business-date';

export type UserRegisteredPayload = PayloadOf<typeof UserRegistered>;
export type IdentityVerifiedPayload = PayloadOf<typeof IdentityVerified>;
export type CreditApprovedPayload = PayloadOf<typeof CreditApproved>;
export type RiskAnsweredPayload = PayloadOf<typeof RiskAnswered>;
export type CreditApplicationChangedPayload = PayloadOf<typeof CreditApplicationChanged>;
export type ReconciliationCompletedPayload = PayloadOf<typeof ReconciliationCompleted>;
export type UserTokensRevokedPayload = PayloadOf<typeof UserTokensRevoked>;
export type AccountOpenedPayload = PayloadOf<typeof AccountOpened>;
export type LoanOpenedPayload = PayloadOf<typeof LoanOpened>;
export type LoanFailedPayload = PayloadOf<typeof LoanFailed>;
export type LoanDisbursedPayload = PayloadOf<typeof LoanDisbursed>;
export type BidPlacedPayload = PayloadOf<typeof BidPlaced>;
export type LoanFullyFundedPayload = PayloadOf<typeof LoanFullyFunded>;
export type InstallmentRepaidPayload = PayloadOf<typeof InstallmentRepaid>;
export type InstallmentOverduePayload = PayloadOf<typeof InstallmentOverdue>;
export type ReminderDuePayload = PayloadOf<typeof ReminderDue>;
export type LoanSettledPayload = PayloadOf<typeof LoanSettled>;
export type BusinessDateAdvancedPayload = PayloadOf<typeof BusinessDateAdvanced>;
export type TransferListedPayload = PayloadOf<typeof TransferListed>;
export type TransferSoldPayload = PayloadOf<typeof TransferSold>;

/** Every contract, one entry per (type, version). */
export const ALL_CONTRACTS: readonly Pick<EventContract<JsonObject>, 'type' | 'version' | 'schema'>[] = [
  UserRegistered,
  IdentityVerified,
  CreditApproved,
  RiskAnswered,
  CreditApplicationChanged,
  UserTokensRevoked,
  AccountOpened,
  AccountOpeningFailed,
  ReconciliationCompleted,
  RechargeSucceeded,
  WithdrawSucceeded,
  LoanOpened,
  LoanFailed,
  LoanDisbursed,
  BidPlaced,
  LoanFullyFunded,
  InstallmentRepaid,
  InstallmentOverdue,
  ReminderDue,
  LoanSettled,
  BusinessDateAdvanced,
  TransferListed,
  TransferSold,
  TransferCancelled,
  TransferExpired,
  CacheChanged,
];
