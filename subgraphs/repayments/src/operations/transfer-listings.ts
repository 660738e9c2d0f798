import { assert, publishEvent, rowLockOptions, type EntityManager } from '@wanxin/platform';
import { TransferCancelled, TransferExpired } from '@wanxin/platform/contracts';
import { OPEN_TRANSFER_STATUSES, TRANSFER_TRANSITIONS, type TransferEndReason } from '../domain/transfer';
import { Transfer } from '../entities/transfer.entity';

/** What every transfer event says of the listing (contracts' `transferListing`). */
interface ListingPayload {
  transferId: string;
  bidId: string;
  loanId: string;
  sellerId: string;
  principalFen: string;
  priceFen: string;
  feeFen: string;
}

export function listingPayload(transfer: Transfer): ListingPayload {
  return {
    transferId: transfer.id,
    bidId: transfer.bidId,
    loanId: transfer.loanId,
    sellerId: transfer.sellerId,
    principalFen: transfer.principalFen.toString(),
    priceFen: transfer.priceFen.toString(),
    feeFen: transfer.feeFen.toString(),
  };
}

/**
 * Ends those of `candidates` still LISTED (CANCELLED by their seller, EXPIRED otherwise), locked first —
 * a seller's cancel or a buyer's reservation may have moved one since it was read — in one conditional
 * update, with an event each; the ones ended.
 */
export async function endListings(
  tx: EntityManager,
  candidates: readonly Transfer[],
  reason: TransferEndReason,
  now: Date,
): Promise<Transfer[]> {
  if (candidates.length === 0) return [];
  const [from, to] = TRANSFER_TRANSITIONS[reason === 'SELLER' ? 'CANCEL' : 'EXPIRE'];
  const listings = await tx.find(
    Transfer,
    { id: { $in: candidates.map((candidate) => candidate.id) }, status: { $in: [...from] } },
    { ...rowLockOptions(tx), refresh: true },
  );
  if (listings.length === 0) return [];
  const ended = await tx.nativeUpdate(
    Transfer,
    { id: { $in: listings.map((listing) => listing.id) }, status: { $in: [...from] } },
    { status: to, openBidId: null, endedAt: now, endReason: reason },
  );
  assert(ended === listings.length, `${listings.length} locked listings to end, ${ended} ended`);
  for (const listing of listings) {
    const payload = { ...listingPayload(listing), endedAt: now.toISOString() };
    if (reason === 'SELLER') publishEvent(tx, TransferCancelled, listing.id, payload, now);
    else publishEvent(tx, TransferExpired, listing.id, { ...payload, reason }, now);
  }
  return listings;
}

/** Loans one look at their open listings takes: a page of the daily run's installments (daily-run.ts). */
export const LISTING_LOANS_MAX = 2_000;

/**
 * The open listings of `loanIds` (one statement, by the loan index): a collection or a day's overdue marking
 * ends the LISTED ones and waits for the SELLING ones.
 */
export async function openListingsOfLoans(tx: EntityManager, loanIds: readonly string[]): Promise<Transfer[]> {
  const distinct = [...new Set(loanIds)];
  if (distinct.length === 0) return [];
  assert(
    distinct.length <= LISTING_LOANS_MAX,
    `open listings of ${LISTING_LOANS_MAX} loans at most, asked ${distinct.length}`,
  );
  return tx.find(
    Transfer,
    { loanId: { $in: distinct }, status: { $in: [...OPEN_TRANSFER_STATUSES] } },
    { refresh: true },
  );
}
