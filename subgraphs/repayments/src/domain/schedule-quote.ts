import { assert, buildSchedule, CommonErrors, SCHEDULE_TERM_MONTHS_MAX, type RepaymentMethod } from '@wanxin/platform';
import type { InstallmentStatus } from './installment-status';

// The public calculator of api-contract.md: domain.md §4's formulas and none of the loan rules (no
// 3–36 month window, no configured rate), so anyone can see what a schedule would look like.

export interface QuoteRequest {
  amountFen: bigint;
  annualRateMicros: number;
  termMonths: number;
  method: RepaymentMethod;
  startDate: string;
}

/** A quoted installment, shaped like the `Installment` entity so InstallmentNode can serve it. */
export interface QuotedInstallment {
  /** Synthetic: a quote is never stored, so `quote-<period>`. */
  id: string;
  period: number;
  dueDate: string;
  principalFen: bigint;
  interestFen: bigint;
  status: InstallmentStatus;
  repaidAt: Date | null;
  overdueDays: number;
  penaltyFen: bigint;
}

/** Refuses what the engine would treat as a broken invariant, as the client's error it is. */
export function validateQuoteRequest(request: QuoteRequest): void {
  assert(typeof request.amountFen === 'bigint', `amount must be bigint fen, got ${typeof request.amountFen}`);
  if (request.amountFen <= 0n) throw CommonErrors.badInput('amount', 'must be greater than 0');
  if (
    !Number.isInteger(request.termMonths) ||
    request.termMonths < 1 ||
    request.termMonths > SCHEDULE_TERM_MONTHS_MAX
  ) {
    throw CommonErrors.badInput('termMonths', `must be 1 to ${SCHEDULE_TERM_MONTHS_MAX}`);
  }
}

/** The schedule's rows as PENDING installments with nothing overdue, one per period. */
export function quoteSchedule(request: QuoteRequest): QuotedInstallment[] {
  validateQuoteRequest(request);
  const rows = buildSchedule({ ...request, principalFen: request.amountFen });
  const installments = rows.map((row) => ({
    id: `quote-${row.period}`,
    period: row.period,
    dueDate: row.dueDate,
    principalFen: row.principalFen,
    interestFen: row.interestFen,
    status: 'PENDING' as const,
    repaidAt: null,
    overdueDays: 0,
    penaltyFen: 0n,
  }));
  assert(installments.length >= 1, 'a quote has at least one installment');
  return installments;
}
