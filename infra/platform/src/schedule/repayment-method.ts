/** How a loan is paid back (domain.md §4): 等额本息, 等额本金, 先息后本, 一次性还本付息, 按日计息. */
export type RepaymentMethod = 'EQUAL_INSTALLMENT' | 'EQUAL_PRINCIPAL' | 'INTEREST_FIRST' | 'BULLET' | 'DAILY';

/** Every method once, in the order domain.md §4 lists them; the compiler checks none is missing. */
export const REPAYMENT_METHODS = [
  'EQUAL_INSTALLMENT',
  'EQUAL_PRINCIPAL',
  'INTEREST_FIRST',
  'BULLET',
  'DAILY',
] as const satisfies readonly RepaymentMethod[];

/** True when `value` names a repayment method. */
export function isRepaymentMethod(value: unknown): value is RepaymentMethod {
  return (REPAYMENT_METHODS as readonly unknown[]).includes(value);
}
