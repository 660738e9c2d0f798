import { BANK_INSUFFICIENT_BALANCE_CODE, bankUserNoFor, assert, publishEvent, type EntityManager, type InternalBankClient } from '@wanxin/platform';
import { BID_TRANSITIONS } from '../domain/bid-status';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import { BidPlaced, LoanFullyFunded } from '../events/bid-events';
import { sendToBank } from './bank-instructions';
import { releaseReservation } from './reserve-funding';

export type FreezeOutcome =
  | { kind: 'FROZEN' }
  | { kind: 'REFUSED'; code: string; message: string; insufficient: boolean }
  | { kind: 'UNKNOWN'; reason: string };

/**
 * Asks the bank to freeze a PENDING bid with the bid's own requestNo (a repeat gets the bank's stored
 * answer, so the placing request and the settle job may both ask) and settles the bid from the answer.
 */
export async function freezeBid(em: EntityManager, bank: InternalBankClient, bid: Bid, loanNo: string, now: Date): Promise<FreezeOutcome> {
  assert(bid.status === 'PENDING', `bid ${bid.id} is ${bid.status}, only PENDING bids are frozen`);
  const outcome = await sendToBank(bank, 'USER_AUTO_PRE_TRANSACTION', {
    requestNo: bid.requestNo, userNo: bankUserNoFor(bid.investorId), projectNo: loanNo, bizType: 'TENDER', amountFen: bid.amountFen.toString(),
  }, bid.investorId);
  switch (outcome.kind) {
    case 'UNKNOWN':
      return outcome;
    case 'DONE':
      await markFrozen(em, bid, now);
      await completeFundingIfFull(em.fork(), bid.loanId, now);
      return { kind: 'FROZEN' };
    case 'REFUSED':
      await markFailed(em, bid);
      return { ...outcome, insufficient: outcome.code === BANK_INSUFFICIENT_BALANCE_CODE };
  }
}

/** PENDING → FROZEN with `bids.bid.placed`, in one transaction; a bid someone else settled is left alone. */
async function markFrozen(em: EntityManager, bid: Bid, now: Date): Promise<void> {
  await em.transactional(async (tx) => {
    const [from, to] = BID_TRANSITIONS.FREEZE;
    if ((await tx.nativeUpdate(Bid, { id: bid.id, status: from }, { status: to })) === 0) return;
    const funding = await tx.findOneOrFail(Funding, { loanId: bid.loanId });
    publishEvent(tx, BidPlaced, bid.loanId, {
      bidId: bid.id, loanId: bid.loanId, investorId: bid.investorId, amountFen: bid.amountFen.toString(),
      raisedFen: funding.raisedFen.toString(), bidCount: funding.bidCount, placedAt: now.toISOString(),
    }, now);
  });
}

/** PENDING → FAILED and the reservation given back, in one transaction: the refused bid never counted. */
async function markFailed(em: EntityManager, bid: Bid): Promise<void> {
  await em.transactional(async (tx) => {
    const [from, to] = BID_TRANSITIONS.REFUSE;
    if ((await tx.nativeUpdate(Bid, { id: bid.id, status: from }, { status: to })) === 0) return;
    await releaseReservation(tx, bid.loanId, bid.amountFen);
  });
}

/**
 * Nothing remains and no bid of the loan is still PENDING → funding FULLY_FUNDED and
 * `bids.loan.fully-funded` with every FROZEN bid, once (conditional update). Run after each settle
 * commits, so the last bid to settle always sees the others settled.
 */
export async function completeFundingIfFull(em: EntityManager, loanId: string, now: Date): Promise<boolean> {
  // Most settles leave the loan short of full: one read, without a transaction, tells them apart (what
  // was committed before it is visible to it, as to the transaction's first read).
  const current = await em.findOne(Funding, { loanId }, { disableIdentityMap: true });
  if (current === null || current.status !== 'FUNDRAISING' || current.raisedFen !== current.amountFen) return false;
  return em.transactional(async (tx) => {
    const funding = await tx.findOne(Funding, { loanId });
    if (funding === null || funding.status !== 'FUNDRAISING' || funding.raisedFen !== funding.amountFen) return false;
    if ((await tx.count(Bid, { loanId, status: 'PENDING' })) > 0) return false;
    const moved = await tx.nativeUpdate(Funding, { loanId, status: 'FUNDRAISING', raisedFen: funding.amountFen }, { status: 'FULLY_FUNDED' });
    if (moved === 0) return false;
    const frozen = await tx.find(Bid, { loanId, status: 'FROZEN' }, { orderBy: { id: 'asc' } });
    const sumFen = frozen.reduce((sum, bid) => sum + bid.amountFen, 0n);
    assert(sumFen === funding.amountFen, `loan ${loanId}: frozen bids hold ${sumFen} fen, the loan is ${funding.amountFen}`);
    publishEvent(tx, LoanFullyFunded, loanId, {
      loanId, raisedFen: sumFen.toString(), bids: frozen.map((bid) => ({ bidId: bid.id, investorId: bid.investorId, amountFen: bid.amountFen.toString() })),
    }, now);
    return true;
  });
}

/** Sends a failed loan's CANCEL_PRE_TRANSACTION (requestNo stored first) and, once done, FROZEN → REFUNDED. */
export async function releaseFreeze(em: EntityManager, bank: InternalBankClient, bid: Bid): Promise<boolean> {
  assert(bid.status === 'FROZEN' && bid.releaseRequestNo !== null, `bid ${bid.id} has no release to send`);
  const outcome = await sendToBank(bank, 'CANCEL_PRE_TRANSACTION', { requestNo: bid.releaseRequestNo, preRequestNo: bid.requestNo }, bid.investorId);
  if (outcome.kind !== 'DONE') return false;
  const [from, to] = BID_TRANSITIONS.REFUND;
  return (await em.nativeUpdate(Bid, { id: bid.id, status: from, releaseRequestNo: bid.releaseRequestNo }, { status: to })) === 1;
}
