/**
 * A bid's lifecycle (domain.md §3, plus PENDING). PENDING: reserved against the loan, the bank's answer to
 * the freeze is not known yet (additive to the contract: a bid whose USER_AUTO_PRE_TRANSACTION timed out
 * stays PENDING until the settle job gets the bank's answer for the same requestNo). FROZEN: the bank froze
 * the amount and it counts toward the loan. LOANED: paid out to the borrower. REFUNDED: the freeze was
 * released (the loan failed or was refused). FAILED: the bank refused the freeze, so the bid never counted.
 */
export const BID_STATUSES = ['PENDING', 'FROZEN', 'LOANED', 'REFUNDED', 'FAILED'] as const;

export type BidStatus = (typeof BID_STATUSES)[number];

/** Every move a bid makes, as [from, to]: the one transition table. */
export const BID_TRANSITIONS = {
  FREEZE: ['PENDING', 'FROZEN'],
  REFUSE: ['PENDING', 'FAILED'],
  LEND: ['FROZEN', 'LOANED'],
  REFUND: ['FROZEN', 'REFUNDED'],
} as const satisfies Record<string, readonly [BidStatus, BidStatus]>;

export type BidTransition = keyof typeof BID_TRANSITIONS;

/** A funding row's lifecycle: open for bids, all bids frozen and the loan full, or closed (paid out or failed). */
export const FUNDING_STATUSES = ['FUNDRAISING', 'FULLY_FUNDED', 'CLOSED'] as const;
export type FundingStatus = (typeof FUNDING_STATUSES)[number];
