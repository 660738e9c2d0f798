/** How a loan is paid back (domain.md §4): 等额本息, 等额本金, 先息后本, 一次性还本付息, 按日计息. */
export type RepaymentMethod = 'EQUAL_INSTALLMENT' | 'EQUAL_PRINCIPAL' | 'INTEREST_FIRST' | 'BULLET' | 'DAILY';
