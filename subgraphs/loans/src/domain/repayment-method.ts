import { unreachable, type RepaymentMethod } from '@wanxin/platform';

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
