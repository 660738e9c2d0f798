/** One investor's share of one installment (domain.md §3): PENDING until the bank settles it, then RECEIVED. */
export type ReceivableStatus = 'PENDING' | 'RECEIVED';
