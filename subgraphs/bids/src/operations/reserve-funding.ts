import { assert, LOAN_BIDS_MAX, runSql, type EntityManager } from '@wanxin/platform';
import type { BidLimits } from '../domain/bid-rules';

/**
 * Adds `bidFen` to the loan's raised amount (and one to its bid count) in ONE conditional UPDATE: only
 * while the funding is FUNDRAISING, the new total stays within the amount, what remains is 0 or at
 * least the minimum bid, the loan holds fewer than `bidsPerLoanMax` bids and the last bid it takes
 * leaves nothing. Both MySQL and SQLite evaluate the WHERE on the row they lock, so concurrent bids can
 * never raise more than the amount nor count more than the cap. False when no row matched (re-read to
 * say which rule).
 */
export async function reserveFunding(tx: EntityManager, loanId: string, bidFen: bigint, limits: BidLimits): Promise<boolean> {
  assert(bidFen > 0n && limits.minBidFen > 0n, 'a reservation is positive');
  assert(limits.bidsPerLoanMax >= 1 && limits.bidsPerLoanMax <= LOAN_BIDS_MAX, `bids per loan ${limits.bidsPerLoanMax} must be 1..${LOAN_BIDS_MAX}`);
  const bid = Number(bidFen);
  const affectedRows = await runSql(
    tx,
    'update `fundings` set `raised_fen` = `raised_fen` + ?, `bid_count` = `bid_count` + 1 ' +
      'where `loan_id` = ? and `status` = ? and `raised_fen` + ? <= `amount_fen` ' +
      'and (`amount_fen` - `raised_fen` - ? = 0 or `amount_fen` - `raised_fen` - ? >= ?) ' +
      'and `bid_count` < ? and (`bid_count` + 1 < ? or `amount_fen` - `raised_fen` - ? = 0)',
    [bid, loanId, 'FUNDRAISING', bid, bid, bid, Number(limits.minBidFen), limits.bidsPerLoanMax, limits.bidsPerLoanMax, bid],
  );
  assert(affectedRows === 0 || affectedRows === 1, `one funding row per loan, updated ${affectedRows}`);
  return affectedRows === 1;
}

/** Gives back a refused bid's reservation: the compensation of reserveFunding, conditional too. */
export async function releaseReservation(tx: EntityManager, loanId: string, bidFen: bigint): Promise<void> {
  const bid = Number(bidFen);
  const released = await runSql(
    tx,
    'update `fundings` set `raised_fen` = `raised_fen` - ?, `bid_count` = `bid_count` - 1 where `loan_id` = ? and `raised_fen` >= ? and `bid_count` >= 1',
    [bid, loanId, bid],
  );
  assert(released === 1, `loan ${loanId} held no reservation of ${bidFen} fen to release`);
}
