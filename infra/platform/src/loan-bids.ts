/**
 * The most bids one loan may hold (PENDING and FROZEN together), platform-wide. Every bid travels in
 * `bids.loan.fully-funded` and `loans.loan.disbursed`, and the bank settles every freeze in one
 * CONFIRM_LOAN, so every party agrees on this one bound:
 * - bids refuses the bid that would exceed it (BID_PER_LOAN_MAX, at most this) and makes the last one
 *   take the whole remainder, so a loan can always fill;
 * - loans and repayments decode at most this many bids from those events;
 * - the bank's own bound per payout (depository LOAN_FREEZES_MAX) must be at least this: a depository
 *   test checks it.
 * At 1,000 bids the largest of those events is about 132 KB (widest ids and amounts), far below
 * OUTBOX_BODY_BYTES_MAX (4 MiB).
 */
export const LOAN_BIDS_MAX = 1000;
