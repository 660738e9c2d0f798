import {
  assert,
  BANK_INSUFFICIENT_BALANCE_CODE,
  CommonErrors,
  publishEvent,
  retryingLockConflicts,
  rowLockOptions,
  unreachable,
  type BankOutcome,
  type EntityManager,
  type InternalBankClient,
} from '@wanxin/platform';
import { TransferSold } from '@wanxin/platform/contracts';
import { RepaymentErrors } from '../domain/errors';
import { newTransferRequestNo } from '../domain/request-numbers';
import { holdingValue, listingRefusal, TRANSFER_TRANSITIONS } from '../domain/transfer';
import { Collection } from '../entities/collection.entity';
import { LoanShare } from '../entities/loan-share.entity';
import { Receivable } from '../entities/receivable.entity';
import type { RepaymentLoan } from '../entities/repayment-loan.entity';
import { Transfer } from '../entities/transfer.entity';
import { currentBusinessDate } from './business-date';
import { creditAssignment } from './bank-instructions';
import { holdingOf, lockedLoan } from './holding';
import { endListings, listingPayload } from './transfer-listings';

// A sale is two-phase like a collection: (1) reserve — one transaction under the loan's lock and the
// transfer's: LISTED → SELLING with the buyer and a new requestNo; (2) CREDIT_ASSIGNMENT at the bank, outside
// any transaction; (3) the answer recorded — SOLD with the receivables moved, or LISTED again. A process
// killed between (2) and (3) leaves it SELLING: the settle pass (jobs/settle-transfers.ts) sends the same
// requestNo again, the bank answers what it did, and (3) runs once.

/** A reserved sale: what the bank is asked to do, under which requestNo. */
export interface Sale {
  id: string;
  requestNo: string;
  sellerId: string;
  buyerId: string;
  priceFen: bigint;
  feeFen: bigint;
}

type Reservation = { kind: 'RESERVED'; loan: RepaymentLoan; sale: Sale } | { kind: 'HOLDING_CHANGED' };

async function reserve(em: EntityManager, buyerId: string, transferId: string, now: Date): Promise<Reservation> {
  return retryingLockConflicts(() =>
    em.fork().transactional(async (tx): Promise<Reservation> => {
      const listed = await tx.findOne(Transfer, { id: transferId });
      if (listed === null) throw CommonErrors.notFound('Transfer', transferId);
      if (listed.sellerId === buyerId) throw RepaymentErrors.ownListing();
      // The loan first, then the transfer: the order collections and the overdue marking take them in.
      const loan = await lockedLoan(tx, listed.loanId);
      const transfer = await tx.findOneOrFail(Transfer, { id: transferId }, { ...rowLockOptions(tx), refresh: true });
      if (transfer.status === 'SELLING') throw RepaymentErrors.transferBeingSold(transferId);
      if (transfer.status !== 'LISTED') throw RepaymentErrors.transferNotListed(transferId, transfer.status);
      if ((await tx.count(Collection, { loanId: loan.id, status: 'SENT' })) > 0)
        throw RepaymentErrors.collectionInProgress(loan.id);
      const businessDate = await currentBusinessDate(tx);
      const holding = await holdingOf(tx, loan.id, transfer.bidId, transfer.sellerId);
      if (listingRefusal(holding, loan.startDate, businessDate, 0)?.kind === 'OVERDUE')
        throw RepaymentErrors.loanInArrears(loan.id);
      const { principalFen } = holdingValue(holding, loan.startDate, businessDate, loan.investorRateMicros);
      if (principalFen !== transfer.principalFen) {
        await endListings(tx, [transfer], 'PRINCIPAL_CHANGED', now);
        return { kind: 'HOLDING_CHANGED' };
      }
      const [from, to] = TRANSFER_TRANSITIONS.RESERVE;
      const reserved = { status: to, buyerId, requestNo: newTransferRequestNo(), reservedAt: new Date() };
      const moved = await tx.nativeUpdate(Transfer, { id: transferId, status: { $in: [...from] } }, reserved);
      assert(moved === 1, `locked LISTED transfer ${transferId} was reserved`);
      const { sellerId, priceFen, feeFen } = transfer;
      return {
        kind: 'RESERVED',
        loan,
        sale: { id: transferId, requestNo: reserved.requestNo, sellerId, buyerId, priceFen, feeFen },
      };
    }),
  );
}

export type SaleOutcome =
  | { kind: 'SOLD'; transfer: Transfer }
  | { kind: 'REFUSED'; code: string; message: string }
  | { kind: 'UNKNOWN'; reason: string };

/**
 * `buyTransfer`: another investor buys a LISTED holding at its price, atomically at the bank. Exactly one of
 * two buyers at once reserves it (the other gets CONFLICT and is charged nothing); a refusal puts it back on
 * the market; no answer leaves it to the settle pass.
 */
export async function buyTransfer(
  em: EntityManager,
  bank: InternalBankClient,
  buyerId: string,
  transferId: string,
  now: Date,
): Promise<Transfer> {
  const reservation = await reserve(em, buyerId, transferId, now);
  if (reservation.kind === 'HOLDING_CHANGED') throw RepaymentErrors.holdingChanged(transferId);
  const { sale, loan } = reservation;
  const [answer] = await bank.instructBatch([creditAssignment(sale, loan)]);
  const outcome = await recordSaleAnswer(em, sale, answer, now);
  switch (outcome.kind) {
    case 'SOLD':
      return outcome.transfer;
    case 'REFUSED':
      throw outcome.code === BANK_INSUFFICIENT_BALANCE_CODE
        ? RepaymentErrors.transferFundsShort(sale.priceFen, outcome.message)
        : RepaymentErrors.transferRefused(outcome.code, outcome.message);
    case 'UNKNOWN':
      throw RepaymentErrors.transferUnanswered(transferId);
    default:
      return unreachable(outcome, 'sale outcome');
  }
}

/** A SELLING transfer's sale as the bank instruction states it. */
export function saleOf(transfer: Transfer): Sale {
  const { id, status, requestNo, sellerId, buyerId, priceFen, feeFen } = transfer;
  assert(status === 'SELLING' && buyerId !== null && requestNo !== null, `transfer ${id} is not being sold`);
  return { id, requestNo, sellerId, buyerId, priceFen, feeFen };
}

/** Records the bank's answer to a sale's CREDIT_ASSIGNMENT: sold, released, or left SELLING for the settle pass. */
export async function recordSaleAnswer(
  em: EntityManager,
  sale: Sale,
  answer: BankOutcome,
  now: Date,
): Promise<SaleOutcome> {
  switch (answer.kind) {
    case 'DONE':
      return { kind: 'SOLD', transfer: await completeSale(em, sale.id, sale.requestNo, now) };
    case 'REFUSED': {
      // The bank moved nothing: on the market again for the next buyer (this requestNo is never sent again).
      const [from, to] = TRANSFER_TRANSITIONS.RELEASE;
      await em
        .fork()
        .nativeUpdate(
          Transfer,
          { id: sale.id, status: { $in: [...from] }, requestNo: sale.requestNo },
          { status: to, buyerId: null, requestNo: null, reservedAt: null },
        );
      return answer;
    }
    case 'UNKNOWN':
      return answer;
    default:
      return unreachable(answer, 'bank outcome');
  }
}

/**
 * The bank moved the price: in one transaction the transfer is SOLD, every receivable of the bid not yet
 * RECEIVED and the bid's loan share become the buyer's, and `repayments.transfer.sold` says so. No collection
 * of the loan can be open (reserve refused a SENT one, openCollections refuses while SELLING), so no
 * receivable moves under a freeze's answer. Recorded once: a second answer (the settle pass's) finds it SOLD.
 */
async function completeSale(em: EntityManager, transferId: string, requestNo: string, now: Date): Promise<Transfer> {
  return retryingLockConflicts(() =>
    em.fork().transactional(async (tx) => {
      const transfer = await tx.findOneOrFail(Transfer, { id: transferId }, { ...rowLockOptions(tx), refresh: true });
      assert(transfer.requestNo === requestNo, `transfer ${transferId}'s sale ${requestNo} is the current one`);
      if (transfer.status === 'SOLD') return transfer;
      const [from, to] = TRANSFER_TRANSITIONS.SELL;
      assert(from.includes(transfer.status), `transfer ${transferId} is ${transfer.status}, not being sold`);
      const { sellerId, buyerId, loanId, bidId } = { ...transfer, buyerId: transfer.buyerId! };
      const held = { loanId, bidId, investorId: sellerId, status: 'PENDING' } as const;
      const heldFen = (await tx.find(Receivable, held, { fields: ['principalFen'], disableIdentityMap: true })).reduce(
        (sum, receivable) => sum + receivable.principalFen,
        0n,
      );
      assert(
        heldFen === transfer.principalFen,
        `transfer ${transferId}: ${heldFen} fen held, listed as ${transfer.principalFen}`,
      );
      const moved = await tx.nativeUpdate(Receivable, held, { investorId: buyerId });
      assert(moved > 0, `transfer ${transferId} moves the holding's receivables`);
      const share = await tx.nativeUpdate(LoanShare, { bidId, investorId: sellerId }, { investorId: buyerId });
      assert(share === 1, `transfer ${transferId} moves bid ${bidId}'s loan share`);
      Object.assign(transfer, { status: to, soldAt: now, openBidId: null });
      publishEvent(
        tx,
        TransferSold,
        transfer.id,
        { ...listingPayload(transfer), buyerId, soldAt: now.toISOString(), requestNo },
        now,
      );
      return transfer;
    }),
  );
}
