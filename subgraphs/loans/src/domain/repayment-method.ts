import { unreachable } from '@wanxin/platform';

/** How a loan is paid back (domain.md §4): 等额本息, 等额本金, 先息后本, 一次性还本付息, 按日计息. */
export const REPAYMENT_METHODS = ['EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL', 'INTEREST_FIRST', 'BULLET', 'DAILY'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

/** The loan terms a method allows, in months: 3–36, except DAILY (随借随还) which allows 1–36. */
export function termMonthsRange(method: RepaymentMethod): { minMonths: number; maxMonths: number } {
  switch (method) {
    case 'EQUAL_INSTALLMENT':
    case 'EQUAL_PRINCIPAL':
    case 'INTEREST_FIRST':
    case 'BULLET':
      return { minMonths: 3, maxMonths: 36 };
    case 'DAILY':
      return { minMonths: 1, maxMonths: 36 };
    default:
      return unreachable(method, 'repayment method');
  }
}
