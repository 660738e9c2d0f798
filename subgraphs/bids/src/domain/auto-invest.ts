import {
  assert,
  formatMoney,
  isRepaymentMethod,
  SCHEDULE_TERM_MONTHS_MAX,
  type RepaymentMethod,
} from '@wanxin/platform';
import { leavesValidRemainder } from './bid-rules';
import type { BidStatus } from './bid-status';

/**
 * Auto-invest (自动投标): one rule per investor, and the pure half of the engine that bids for the rules
 * when a loan opens (operations/auto-invest.ts does the I/O).
 */

/** Auto bids move in whole hundreds of yuan: a rule's amount, and a last bid cut down to fit. */
export const AUTO_INVEST_STEP_FEN = 10_000n;
/** The longest term a rule may ask for: the schedule engine's. */
export const AUTO_INVEST_TERM_MONTHS_MAX = SCHEDULE_TERM_MONTHS_MAX;
/** AUTO_INVEST_SHARE_MAX by default: half of each loan may go to auto bids, the rest waits for manual ones. */
export const AUTO_INVEST_SHARE_MAX_DEFAULT = '0.5';
const RATE_ONE_MICROS = 1_000_000;

/** setAutoInvest's input, with units in the names; absent optional fields are null. */
export interface AutoInvestRequest {
  enabled: boolean;
  amountPerLoanFen: bigint;
  rateMinMicros: number | null;
  termMaxMonths: number | null;
  methods: readonly string[] | null;
  reserveFen: bigint | null;
}

/** A rule's terms as stored: methods distinct and sorted (null: any), the reserve 0 when not given. */
export interface AutoInvestTerms {
  enabled: boolean;
  amountPerLoanFen: bigint;
  rateMinMicros: number | null;
  termMaxMonths: number | null;
  methods: RepaymentMethod[] | null;
  reserveFen: bigint;
}

/** Why a rule is refused: the input field and the reason (BAD_USER_INPUT). */
export class AutoInvestProblem {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

/**
 * The rule's terms, or the first problem: the amount at least the minimum bid (placeBid's message) and a
 * multiple of 100.00; the minimum rate within 0–1; the longest term 1 to AUTO_INVEST_TERM_MONTHS_MAX months;
 * methods a non-empty set of repayment methods; the reserve not negative.
 */
export function parseAutoInvest(request: AutoInvestRequest, minBidFen: bigint): AutoInvestTerms | AutoInvestProblem {
  assert(minBidFen > 0n, 'the minimum bid must be positive');
  const { amountPerLoanFen, rateMinMicros, termMaxMonths, methods } = request;
  if (amountPerLoanFen < minBidFen)
    return new AutoInvestProblem('amountPerLoan', `the minimum bid is ${formatMoney(minBidFen)}`);
  if (amountPerLoanFen % AUTO_INVEST_STEP_FEN !== 0n)
    return new AutoInvestProblem('amountPerLoan', `must be a multiple of ${formatMoney(AUTO_INVEST_STEP_FEN)}`);
  if (
    rateMinMicros !== null &&
    !(Number.isInteger(rateMinMicros) && rateMinMicros >= 0 && rateMinMicros <= RATE_ONE_MICROS)
  )
    return new AutoInvestProblem('rateMin', 'must be from 0 to 1');
  if (
    termMaxMonths !== null &&
    !(Number.isInteger(termMaxMonths) && termMaxMonths >= 1 && termMaxMonths <= AUTO_INVEST_TERM_MONTHS_MAX)
  )
    return new AutoInvestProblem('termMax', `must be 1 to ${AUTO_INVEST_TERM_MONTHS_MAX} months`);
  if (methods !== null && methods.length === 0)
    return new AutoInvestProblem('methods', 'must name at least one method, or be left out for any');
  if (methods !== null && !methods.every(isRepaymentMethod))
    return new AutoInvestProblem('methods', 'must be repayment methods');
  if (request.reserveFen !== null && request.reserveFen < 0n)
    return new AutoInvestProblem('reserve', 'must not be negative');
  return {
    enabled: request.enabled,
    amountPerLoanFen,
    rateMinMicros,
    termMaxMonths,
    methods: methods === null ? null : ([...new Set(methods)].sort() as RepaymentMethod[]),
    reserveFen: request.reserveFen ?? 0n,
  };
}

/** A stored rule as the engine reads it. */
export interface AutoInvestRuleView {
  id: string;
  investorId: string;
  enabled: boolean;
  amountPerLoanFen: bigint;
  rateMinMicros: number | null;
  termMaxMonths: number | null;
  methods: readonly string[] | null;
  reserveFen: bigint;
  /** When the rule last bid (the fair queue's key); the epoch when it never has. */
  lastServedAt: Date;
}

/** What a rule is matched against: the loan as bids knows it from `loans.loan.opened`. */
export interface LoanTerms {
  borrowerId: string;
  investorRateMicros: number;
  termMonths: number;
  repaymentMethod: string;
}

/** An enabled rule matches a loan paying the investor at least its rate, within its term, by one of its methods. */
export function ruleMatches(rule: AutoInvestRuleView, loan: LoanTerms): boolean {
  if (!rule.enabled || rule.investorId === loan.borrowerId) return false;
  if (rule.rateMinMicros !== null && loan.investorRateMicros < rule.rateMinMicros) return false;
  if (rule.termMaxMonths !== null && loan.termMonths > rule.termMaxMonths) return false;
  return rule.methods === null || rule.methods.includes(loan.repaymentMethod);
}

/** The fair queue's order: least recently served first, ties by rule id. */
export function compareServiceOrder(a: AutoInvestRuleView, b: AutoInvestRuleView): number {
  const byTime = a.lastServedAt.getTime() - b.lastServedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The most auto bids may take of a loan: `shareMaxMicros` millionths of it, rounded down to the fen. */
export function autoShareCapFen(amountFen: bigint, shareMaxMicros: number): bigint {
  assert(amountFen > 0n, `a loan of ${amountFen} fen`);
  assert(
    Number.isInteger(shareMaxMicros) && shareMaxMicros >= 0 && shareMaxMicros <= RATE_ONE_MICROS,
    `the auto share is 0 to 1, got ${shareMaxMicros} millionths`,
  );
  // Rounded down: the cap is a bound, so a fraction of a fen goes to the manual investors.
  return (amountFen * BigInt(shareMaxMicros)) / BigInt(RATE_ONE_MICROS);
}

/**
 * The auto bid a rule places with `capLeftFen` of the auto share and `remainingFen` of the loan left: its
 * amount, cut down to what is left in whole hundreds and so that the loan's remainder stays 0 or at least
 * one minimum bid; null when that is below the minimum bid (then no rule can bid: nothing fits).
 */
export function autoBidFen(
  amountPerLoanFen: bigint,
  capLeftFen: bigint,
  remainingFen: bigint,
  minBidFen: bigint,
): bigint | null {
  assert(amountPerLoanFen % AUTO_INVEST_STEP_FEN === 0n, `a rule's amount ${amountPerLoanFen} is whole hundreds`);
  let fen = [amountPerLoanFen, capLeftFen, remainingFen].reduce((low, each) => (each < low ? each : low));
  fen -= fen % AUTO_INVEST_STEP_FEN;
  if (fen > 0n && !leavesValidRemainder(remainingFen, fen, minBidFen)) {
    const leavingMinimumFen = remainingFen - minBidFen;
    fen = leavingMinimumFen - (leavingMinimumFen % AUTO_INVEST_STEP_FEN);
  }
  if (fen < minBidFen) return null;
  assert(fen <= capLeftFen && fen <= remainingFen && fen <= amountPerLoanFen, `auto bid ${fen} fen fits`);
  return fen;
}

/** Whether the investor keeps the rule's reserve after the bid; an unknown balance keeps nothing. */
export function keepsReserve(availableFen: bigint | null, bidFen: bigint, reserveFen: bigint): boolean {
  return availableFen !== null && availableFen - bidFen >= reserveFen;
}

/** Where the loan's auto share stands when a chunk of rules is planned. */
export interface AutoShareState {
  capLeftFen: bigint;
  remainingFen: bigint;
}

/** One planned auto bid. */
export interface AutoBidPlan {
  ruleId: string;
  investorId: string;
  amountFen: bigint;
}

/** A chunk of rules planned: the bids to place, the rules skipped for their reserve, and whether the share is full. */
export interface AutoChunkPlan {
  bids: AutoBidPlan[];
  skippedForReserve: string[];
  /** Nothing more fits (the auto share or the loan): no later rule bids on this loan. */
  full: boolean;
}

/**
 * Plans bids for `rules` (matching, in the fair order) against the auto share left: each rule bids its
 * amount, the last one cut down to fit; a rule whose investor would fall below its reserve is skipped and
 * keeps its place in the queue. Stops when nothing more fits.
 */
export function planAutoBids(
  rules: readonly AutoInvestRuleView[],
  availableFenOf: ReadonlyMap<string, bigint | null>,
  state: AutoShareState,
  minBidFen: bigint,
): AutoChunkPlan {
  let { capLeftFen, remainingFen } = state;
  const plan: AutoChunkPlan = { bids: [], skippedForReserve: [], full: false };
  for (const rule of rules) {
    const amountFen = autoBidFen(rule.amountPerLoanFen, capLeftFen, remainingFen, minBidFen);
    if (amountFen === null) return { ...plan, full: true };
    if (!keepsReserve(availableFenOf.get(rule.investorId) ?? null, amountFen, rule.reserveFen)) {
      plan.skippedForReserve.push(rule.id);
      continue;
    }
    plan.bids.push({ ruleId: rule.id, investorId: rule.investorId, amountFen });
    capLeftFen -= amountFen;
    remainingFen -= amountFen;
  }
  plan.full = autoShareFull({ capLeftFen, remainingFen }, minBidFen);
  return plan;
}

/** Whether no rule can bid any more: even the largest bid the share allows would be below the minimum. */
export function autoShareFull(state: AutoShareState, minBidFen: bigint): boolean {
  const largestFen = state.capLeftFen - (state.capLeftFen % AUTO_INVEST_STEP_FEN);
  return largestFen < minBidFen || autoBidFen(largestFen, state.capLeftFen, state.remainingFen, minBidFen) === null;
}

/** An auto bid's order as the reservation checks it: the rule it serves and the loan's auto share. */
export interface AutoAsk {
  ruleId: string;
  amountFen: bigint;
  capFen: bigint;
}

/** What a loan's auto bids hold when a round reserves more: the rules served and their counted sum. */
export interface AutoServed {
  ruleIds: ReadonlySet<string>;
  countedFen: bigint;
}

export type AutoRefusal = 'ALREADY_SERVED' | 'SHARE_FULL';

/**
 * The auto bids of one round on one loan checked in order, under the funding's lock: a rule served on the
 * loan before (or earlier in the round) is refused, and so is a bid that would take the loan's auto bids
 * past the share. This is the engine's guarantee, whoever runs it and however often it resumes.
 */
export function autoRefusals(served: AutoServed, asks: readonly AutoAsk[]): (AutoRefusal | null)[] {
  const ruleIds = new Set(served.ruleIds);
  let countedFen = served.countedFen;
  return asks.map(({ ruleId, amountFen, capFen }) => {
    if (ruleIds.has(ruleId)) return 'ALREADY_SERVED';
    if (countedFen + amountFen > capFen) return 'SHARE_FULL';
    ruleIds.add(ruleId);
    countedFen += amountFen;
    return null;
  });
}

/** Auto bids still holding their share: reserved, frozen or lent (a refused or refunded one holds none). */
const HOLDING_STATUSES: readonly BidStatus[] = ['PENDING', 'FROZEN', 'LOANED'];

/** A loan's auto bids (any status) as what they serve: every rule that bid, and the sum still held. */
export function autoServedOf(
  bids: readonly { autoRuleId: string; amountFen: bigint; status: BidStatus }[],
): AutoServed {
  return {
    ruleIds: new Set(bids.map((bid) => bid.autoRuleId)),
    countedFen: bids
      .filter((bid) => HOLDING_STATUSES.includes(bid.status))
      .reduce((sum, bid) => sum + bid.amountFen, 0n),
  };
}
