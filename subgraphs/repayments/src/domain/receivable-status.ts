/**
 * One investor's share of one installment (domain.md §3): PENDING until the installment is repaid, then
 * RECEIVED; SETTLED_EARLY, at zero, when an early repayment closed its installment.
 */
export type ReceivableStatus = 'PENDING' | 'RECEIVED' | 'SETTLED_EARLY';
