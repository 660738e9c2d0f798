import { BUSINESS_DATE_ADVANCED_TYPE, defineEvent } from '@wanxin/platform';

/** Amounts travel as integer-fen strings (JSON has no bigint). */
export type InstallmentRepaidPayload = {
  installmentId: string;
  loanId: string;
  borrowerId: string;
  period: number;
  /** Principal + interest. */
  amountFen: string;
  penaltyFen: string;
  repaidAt: string;
  /** The REPAYMENT freeze that holds the money; its CONFIRM_REPAYMENT pays the investors. */
  collectionRequestNo: string;
};

export type InstallmentOverduePayload = {
  installmentId: string;
  loanId: string;
  borrowerId: string;
  period: number;
  overdueDays: number;
  penaltyFen: string;
};

export type LoanSettledPayload = {
  loanId: string;
  settledAt: string;
};

export type BusinessDateAdvancedPayload = {
  /** YYYY-MM-DD: the day whose daily jobs every subgraph now runs. */
  date: string;
};

/** The borrower's money for an installment is frozen: repayments confirms it to the investors; subscriptions push it. */
export const InstallmentRepaid = defineEvent<InstallmentRepaidPayload>('repayments.installment.repaid', 1);
/** An installment is overdue another day (penalty grown): for subscriptions and dashboards. */
export const InstallmentOverdue = defineEvent<InstallmentOverduePayload>('repayments.installment.overdue', 1, { mayGoUnheard: true });
/** Every installment is repaid: loans moves the loan to SETTLED. */
export const LoanSettled = defineEvent<LoanSettledPayload>('repayments.loan.settled', 1);
/** The business date moved to `date` (one event per day, in order): loans and depository run their daily jobs. */
export const BusinessDateAdvanced = defineEvent<BusinessDateAdvancedPayload>(BUSINESS_DATE_ADVANCED_TYPE, 1);

/** The aggregate of BusinessDateAdvanced: one stream, so the days arrive in order. */
export const BUSINESS_DATE_AGGREGATE = 'business-date';
