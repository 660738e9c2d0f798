/**
 * A bid's lifecycle (domain.md §3). FROZEN: the bank froze the amount and it counts toward the loan.
 * LOANED: paid out to the borrower. REFUNDED: the freeze was released (the loan failed or was refused).
 * FAILED: the bank refused the freeze, so the bid never counted. The transition table arrives with
 * placeBid.
 */
export const BID_STATUSES = ['FROZEN', 'LOANED', 'REFUNDED', 'FAILED'] as const;

export type BidStatus = (typeof BID_STATUSES)[number];
