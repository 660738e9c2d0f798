/** One investor's share of one installment (domain.md §3): PENDING until the installment is repaid, then RECEIVED. */
export type ReceivableStatus = 'PENDING' | 'RECEIVED';
