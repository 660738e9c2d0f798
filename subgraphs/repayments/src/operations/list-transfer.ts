import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  assert,
  CommonErrors,
  publishEvent,
  retryingLockConflicts,
  rowLockOptions,
  unreachable,
  type EntityManager,
} from '@wanxin/platform';
import { TransferListed } from '@wanxin/platform/contracts';
import { RepaymentErrors } from '../domain/errors';
import {
  holdingValue,
  listingRefusal,
  priceWindow,
  transferFeeFen,
  type ListingRefusal,
  type TransferRules,
} from '../domain/transfer';
import { Collection } from '../entities/collection.entity';
import { LoanShare } from '../entities/loan-share.entity';
import { Transfer } from '../entities/transfer.entity';
import { currentBusinessDate } from './business-date';
import { holdingOf, lockedLoan } from './holding';
import { endListings, listingPayload } from './transfer-listings';

function refusalError(refusal: ListingRefusal, bidId: string, loanId: string) {
  switch (refusal.kind) {
    case 'OVERDUE':
      return RepaymentErrors.loanInArrears(loanId);
    case 'NOTHING_LEFT':
      return RepaymentErrors.nothingLeft(bidId);
    case 'HELD_TOO_SHORT':
      return RepaymentErrors.heldTooShort(refusal.heldDays, refusal.holdDays);
    default:
      return unreachable(refusal, 'listing refusal');
  }
}

/**
 * `listTransfer`: the holder of a LOANED bid of a REPAYING loan offers the whole holding at `priceFen`. Under
 * the loan's lock (no collection SENT meanwhile, none opened before this commits); the unique `openBidId`
 * keeps one open listing per bid however many requests race.
 */
export async function listTransfer(
  em: EntityManager,
  rules: TransferRules,
  sellerId: string,
  bidId: string,
  priceFen: bigint,
  now: Date,
): Promise<Transfer> {
  if (priceFen <= 0n) throw RepaymentErrors.priceNotPositive();
  const share = await em.findOne(LoanShare, { bidId });
  if (share === null) throw RepaymentErrors.notHolding(bidId);
  if (share.investorId !== sellerId) throw RepaymentErrors.notHolder();
  try {
    return await retryingLockConflicts(() =>
      em.fork().transactional(async (tx) => {
        const loan = await lockedLoan(tx, share.loanId);
        if (loan.status !== 'REPAYING') throw RepaymentErrors.notHolding(bidId);
        const holder = await tx.findOneOrFail(LoanShare, { bidId }, { refresh: true });
        if (holder.investorId !== sellerId) throw RepaymentErrors.notHolder();
        if ((await tx.count(Collection, { loanId: loan.id, status: 'SENT' })) > 0)
          throw RepaymentErrors.collectionInProgress(loan.id);
        if ((await tx.count(Transfer, { openBidId: bidId })) > 0) throw RepaymentErrors.alreadyListed(bidId);
        const businessDate = await currentBusinessDate(tx);
        const holding = await holdingOf(tx, loan.id, bidId, sellerId);
        const refusal = listingRefusal(holding, loan.startDate, businessDate, rules.holdDays);
        if (refusal !== null) throw refusalError(refusal, bidId, loan.id);
        const value = holdingValue(holding, loan.startDate, businessDate, loan.investorRateMicros);
        const window = priceWindow(value.valueFen, rules);
        if (priceFen < window.minFen || priceFen > window.maxFen)
          throw RepaymentErrors.priceOutsideWindow(window.minFen, window.maxFen);
        const transfer = tx.create(
          Transfer,
          {
            bidId,
            openBidId: bidId,
            loanId: loan.id,
            sellerId,
            principalFen: value.principalFen,
            priceFen,
            feeFen: transferFeeFen(priceFen, rules.feeRateMicros),
            status: 'LISTED',
            listedAt: now,
            listedBusinessDate: businessDate,
          },
          { persist: false },
        );
        await tx.insert(transfer);
        publishEvent(
          tx,
          TransferListed,
          transfer.id,
          { ...listingPayload(transfer), listedAt: now.toISOString(), businessDate },
          now,
        );
        return transfer;
      }),
    );
  } catch (error) {
    // Another request listed the same bid between the check and the insert.
    if (error instanceof UniqueConstraintViolationException) throw RepaymentErrors.alreadyListed(bidId);
    throw error;
  }
}

/** `cancelTransfer`: its seller takes a LISTED holding off the market (not while a buyer's payment is at the bank). */
export async function cancelTransfer(
  em: EntityManager,
  sellerId: string,
  transferId: string,
  now: Date,
): Promise<Transfer> {
  return retryingLockConflicts(() =>
    em.fork().transactional(async (tx) => {
      const transfer = await tx.findOne(Transfer, { id: transferId }, { ...rowLockOptions(tx), refresh: true });
      if (transfer === null) throw CommonErrors.notFound('Transfer', transferId);
      if (transfer.sellerId !== sellerId) throw RepaymentErrors.notSeller();
      if (transfer.status === 'SELLING') throw RepaymentErrors.transferBeingSold(transferId);
      if (transfer.status !== 'LISTED') throw RepaymentErrors.transferNotListed(transferId, transfer.status);
      await endListings(tx, [transfer], 'SELLER', now);
      const ended = await tx.findOneOrFail(Transfer, { id: transferId }, { refresh: true });
      assert(ended.status === 'CANCELLED', `transfer ${transferId} was cancelled`);
      return ended;
    }),
  );
}
