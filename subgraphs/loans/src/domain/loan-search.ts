import { createHash } from 'node:crypto';
import { assert, REPAYMENT_METHODS, unreachable, type RepaymentMethod } from '@wanxin/platform';
import { LOAN_AMOUNT_STEP_FEN } from './loan-rules';
import type { LoanStatus } from './loan-status';

/** Longest search text, in characters: a title is at most 100 and a loan number 18. */
export const SEARCH_TEXT_LENGTH_MAX = 100;
/** The longest term any method allows (repayment-method.ts): a term range beyond it is a mistake, not a filter. */
export const SEARCH_TERM_MONTHS_MAX = 36;
export const SEARCH_TERM_MONTHS_MIN = 1;

export const LOAN_ORDER_FIELDS = ['CREATED_AT', 'AMOUNT', 'RATE', 'TERM', 'PROGRESS'] as const;
export type LoanOrderField = (typeof LOAN_ORDER_FIELDS)[number];
export type SortDirection = 'ASC' | 'DESC';

/** What the client asked for, as the GraphQL inputs carry it (Money and Rate already parsed by their scalars). */
export interface LoanFilterRequest {
  amountMinFen?: bigint | null;
  amountMaxFen?: bigint | null;
  rateMinMicros?: number | null;
  rateMaxMicros?: number | null;
  termMinMonths?: number | null;
  termMaxMonths?: number | null;
  methods?: readonly RepaymentMethod[] | null;
  text?: string | null;
}

/** A validated filter: every bound inclusive, null where the client set none. */
export interface LoanFilter {
  amountMinFen: bigint | null;
  amountMaxFen: bigint | null;
  rateMinMicros: number | null;
  rateMaxMicros: number | null;
  termMinMonths: number | null;
  termMaxMonths: number | null;
  /** Distinct and sorted, so that two requests naming the same methods make the same cursors; null: any. */
  methods: RepaymentMethod[] | null;
  /** Trimmed; null when blank. */
  text: string | null;
}

/** A refused filter: the argument's path and why. */
export class LoanSearchProblem {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

function rangeProblem<TValue extends bigint | number>(
  field: string,
  min: TValue | null,
  max: TValue | null,
): LoanSearchProblem | null {
  if (min !== null && max !== null && min > max)
    return new LoanSearchProblem(`filter.${field}Min`, `must not exceed filter.${field}Max`);
  return null;
}

function termProblem(field: string, months: number | null): LoanSearchProblem | null {
  if (months === null) return null;
  if (!Number.isInteger(months) || months < SEARCH_TERM_MONTHS_MIN || months > SEARCH_TERM_MONTHS_MAX)
    return new LoanSearchProblem(field, `must be ${SEARCH_TERM_MONTHS_MIN} to ${SEARCH_TERM_MONTHS_MAX} months`);
  return null;
}

/** The filter, checked: min ≤ max for each range, terms that a loan may have, text of at most 100 characters. */
export function parseLoanFilter(request: LoanFilterRequest | null | undefined): LoanFilter | LoanSearchProblem {
  const filter: LoanFilter = {
    amountMinFen: request?.amountMinFen ?? null,
    amountMaxFen: request?.amountMaxFen ?? null,
    rateMinMicros: request?.rateMinMicros ?? null,
    rateMaxMicros: request?.rateMaxMicros ?? null,
    termMinMonths: request?.termMinMonths ?? null,
    termMaxMonths: request?.termMaxMonths ?? null,
    methods: request?.methods == null ? null : [...new Set(request.methods)].sort(),
    text: request?.text == null ? null : request.text.trim() || null,
  };
  const text = request?.text ?? '';
  // Counted in characters (code points), as the contract states lengths, not UTF-16 units.
  if ([...text].length > SEARCH_TEXT_LENGTH_MAX)
    return new LoanSearchProblem('filter.text', `must be at most ${SEARCH_TEXT_LENGTH_MAX} characters`);
  if (filter.methods !== null && filter.methods.length === 0)
    return new LoanSearchProblem('filter.methods', 'must name at least one method, or be left out for any');
  const problem =
    termProblem('filter.termMin', filter.termMinMonths) ??
    termProblem('filter.termMax', filter.termMaxMonths) ??
    rangeProblem('amount', filter.amountMinFen, filter.amountMaxFen) ??
    rangeProblem('rate', filter.rateMinMicros, filter.rateMaxMicros) ??
    rangeProblem('term', filter.termMinMonths, filter.termMaxMonths);
  if (problem !== null) return problem;
  assert(filter.methods === null || filter.methods.every((method) => REPAYMENT_METHODS.includes(method)), 'methods');
  return filter;
}

/** The `loans` list's orders: the client's, or NEWEST (by id, which is time-ordered), today's default. */
export type LoanListOrder = { field: LoanOrderField | 'NEWEST'; direction: SortDirection };

export const DEFAULT_LOAN_ORDER: LoanListOrder = { field: 'NEWEST', direction: 'DESC' };

/** The Loan property each order reads; ties are broken by id in the same direction. */
export function orderColumnOf(
  field: LoanListOrder['field'],
): 'id' | 'createdAt' | 'amountFen' | 'annualRateMicros' | 'termMonths' | 'progressE18' {
  switch (field) {
    case 'NEWEST':
      return 'id';
    case 'CREATED_AT':
      return 'createdAt';
    case 'AMOUNT':
      return 'amountFen';
    case 'RATE':
      return 'annualRateMicros';
    case 'TERM':
      return 'termMonths';
    case 'PROGRESS':
      return 'progressE18';
    default:
      return unreachable(field, 'loan order field');
  }
}

/**
 * What a cursor is made for: a digest of the status asked for, the filter and the order. Stored in the
 * cursor, so that one passed to a list ordered or filtered otherwise is refused rather than misread.
 */
export function searchScopeOf(status: LoanStatus | null, filter: LoanFilter, order: LoanListOrder): string {
  const canonical = JSON.stringify([status, order.field, order.direction, Object.entries(filter)], (_key, value) =>
    typeof value === 'bigint' ? value.toString() : (value as unknown),
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/** The escape character of the search's LIKE patterns: portable (SQLite has no default escape, MariaDB's is `\`). */
export const LIKE_ESCAPE = '!';

/** A LIKE pattern that finds `text` anywhere, its own `%`, `_` and escape characters matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (character) => `${LIKE_ESCAPE}${character}`)}%`;
}

/**
 * Progress is stored as funded/amount × PROGRESS_SCALE, floored, so that it is an indexable integer.
 * The order is exact: loan amounts are multiples of 100.00 (10⁴ fen) of at most PROGRESS_AMOUNT_MAX_FEN
 * (10¹¹ fen), so two different ratios f₁/a₁ < f₂/a₂ differ by (f₂a₁ − f₁a₂)/(a₁a₂) ≥ 10⁴/(a₁a₂) ≥ 10⁻¹⁸,
 * and flooring ×10¹⁸ keeps them apart; equal ratios get equal keys.
 */
export const PROGRESS_SCALE = 1_000_000_000_000_000_000n;
/** The largest loan amount for which progress keys order exactly: 1,000,000,000.00. */
export const PROGRESS_AMOUNT_MAX_FEN = 100_000_000_000n;

export function progressE18Of(fundedFen: bigint, amountFen: bigint): bigint {
  assert(amountFen > 0n && amountFen <= PROGRESS_AMOUNT_MAX_FEN, `loan amount ${amountFen} fen within 0..10^11`);
  assert(amountFen % LOAN_AMOUNT_STEP_FEN === 0n, `loan amount ${amountFen} fen is a multiple of 100.00`);
  assert(fundedFen >= 0n && fundedFen <= amountFen, `funded ${fundedFen} fen within 0..${amountFen}`);
  const progressE18 = (fundedFen * PROGRESS_SCALE) / amountFen;
  assert(progressE18 <= PROGRESS_SCALE, 'progress is at most 1');
  return progressE18;
}
