import { assert, rowLockOptions, type EntityManager } from '@wanxin/platform';
import type { FundingSnapshot } from '../domain/bid-rules';
import { Funding } from '../entities/funding.entity';
import { setFundingReservation, takeFundingReservation } from '../store';

/**
 * The fundings of `loanIds`, locked until the transaction ends (in key order, so two groups on shared
 * loans never wait on each other in a cycle): bids are admitted against what is read here.
 */
export async function lockFundings(tx: EntityManager, loanIds: readonly string[]): Promise<Map<string, Funding>> {
  const fundings = await tx.find(
    Funding,
    { loanId: { $in: [...new Set(loanIds)].sort() } },
    { ...rowLockOptions(tx), orderBy: { loanId: 'asc' } },
  );
  return new Map(fundings.map((funding) => [funding.loanId, funding]));
}

/**
 * Moves a locked funding from what was read to what admitting the bids left: ONE UPDATE, conditional on
 * the row still holding what was read and on the new total staying within the amount (it must: the row
 * is locked, so anything else is a bug).
 */
export async function countReservations(tx: EntityManager, before: Funding, after: FundingSnapshot): Promise<void> {
  assert(
    after.raisedFen > before.raisedFen && after.bidCount > before.bidCount,
    `loan ${before.loanId}: a reservation adds bids`,
  );
  assert(
    after.raisedFen <= before.amountFen,
    `loan ${before.loanId}: ${after.raisedFen} fen reserved of ${before.amountFen}`,
  );
  const moved = await setFundingReservation(tx, before, after);
  assert(moved === 1, `loan ${before.loanId}: the locked funding changed under its lock (${moved} rows)`);
}

/** Gives back a refused bid's reservation, conditional too. */
export async function releaseReservation(tx: EntityManager, loanId: string, bidFen: bigint): Promise<void> {
  const released = await takeFundingReservation(tx, loanId, bidFen);
  assert(released === 1, `loan ${loanId} held no reservation of ${bidFen} fen to release`);
}
