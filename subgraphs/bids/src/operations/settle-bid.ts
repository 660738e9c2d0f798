import {
  BANK_INSUFFICIENT_BALANCE_CODE,
  bankUserNoFor,
  assert,
  publishEvent,
  SQL_LIST_MAX,
  unreachable,
  type EntityManager,
  type InternalBankClient,
} from '@wanxin/platform';
import { BID_TRANSITIONS } from '../domain/bid-status';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import { BidPlaced, LoanFullyFunded } from '@wanxin/platform/contracts';
import { bankInstruction, sendToBank } from './bank-instructions';
import { releaseReservation } from './reserve-funding';
import { moveBidsStatus } from '../store';

export type FreezeOutcome =
  | { kind: 'FROZEN' }
  | { kind: 'REFUSED'; code: string; message: string; insufficient: boolean }
  | { kind: 'UNKNOWN'; reason: string };

/** A PENDING bid and the bank project (loan number) its freeze names. */
export interface PendingFreeze {
  bid: Bid;
  loanNo: string;
}

/** Bids settled per transaction at most: one `in (…)` list. */
export const FREEZES_PER_SETTLE_MAX = SQL_LIST_MAX;

/**
 * Asks the bank to freeze PENDING bids, each with its own requestNo and together (a repeat gets the bank's
 * stored answer, so the placing request and the settle job may both ask), and settles each bid from its
 * answer: the frozen ones FROZEN in one transaction, then their loans checked for full; the refused ones
 * FAILED with their reservations given back; the unanswered left PENDING.
 */
export async function freezeBids(
  em: EntityManager,
  bank: InternalBankClient,
  pending: readonly PendingFreeze[],
  now: Date,
): Promise<FreezeOutcome[]> {
  assert(
    pending.length >= 1 && pending.length <= FREEZES_PER_SETTLE_MAX,
    `1 to ${FREEZES_PER_SETTLE_MAX} freezes at once, got ${pending.length}`,
  );
  for (const { bid } of pending)
    assert(bid.status === 'PENDING', `bid ${bid.id} is ${bid.status}, only PENDING bids are frozen`);
  const answers = await Promise.all(
    bank.instructAll(
      pending.map(({ bid, loanNo }) =>
        bankInstruction(
          'USER_AUTO_PRE_TRANSACTION',
          {
            requestNo: bid.requestNo,
            userNo: bankUserNoFor(bid.investorId),
            projectNo: loanNo,
            bizType: 'TENDER',
            amountFen: bid.amountFen.toString(),
          },
          bid.investorId,
        ),
      ),
    ),
  );
  const frozen = pending.filter((_, index) => answers[index].kind === 'DONE').map(({ bid }) => bid);
  if (frozen.length > 0) {
    await markFrozen(em, frozen, now);
    for (const loanId of new Set(frozen.map((bid) => bid.loanId))) await completeFundingIfFull(em.fork(), loanId, now);
  }
  const outcomes: FreezeOutcome[] = [];
  for (const [index, answer] of answers.entries()) {
    switch (answer.kind) {
      case 'UNKNOWN':
        outcomes.push(answer);
        break;
      case 'DONE':
        outcomes.push({ kind: 'FROZEN' });
        break;
      case 'REFUSED':
        await markFailed(em, pending[index].bid);
        outcomes.push({ ...answer, insufficient: answer.code === BANK_INSUFFICIENT_BALANCE_CODE });
        break;
      default:
        unreachable(answer, 'bank outcome');
    }
  }
  return outcomes;
}

/** Some bid of a group was settled by someone else meanwhile: the group is undone and each goes alone. */
class SettledMeanwhile extends Error {}

/**
 * PENDING → FROZEN with `bids.bid.placed` each, in one transaction. A bid someone else settled meanwhile
 * is left alone: when the group's UPDATE moves fewer rows than it names, it is rolled back and each bid
 * goes alone.
 */
async function markFrozen(em: EntityManager, bids: readonly Bid[], now: Date): Promise<void> {
  const [from, to] = BID_TRANSITIONS.FREEZE;
  try {
    await em.transactional(async (tx) => {
      const moved = await moveBidsStatus(tx, bids, from, to);
      if (moved === 0 && bids.length === 1) return;
      if (moved !== bids.length) throw new SettledMeanwhile(`${moved} of ${bids.length} bids moved`);
      const fundings = new Map(
        (await tx.find(Funding, { loanId: { $in: [...new Set(bids.map((bid) => bid.loanId))] } })).map((funding) => [
          funding.loanId,
          funding,
        ]),
      );
      for (const bid of bids) {
        const funding = fundings.get(bid.loanId);
        assert(funding !== undefined, `bid ${bid.id} of loan ${bid.loanId} has no funding`);
        publishEvent(
          tx,
          BidPlaced,
          bid.loanId,
          {
            bidId: bid.id,
            loanId: bid.loanId,
            investorId: bid.investorId,
            amountFen: bid.amountFen.toString(),
            raisedFen: funding.raisedFen.toString(),
            bidCount: funding.bidCount,
            placedAt: now.toISOString(),
            auto: bid.autoRuleId !== null,
          },
          now,
        );
      }
    });
  } catch (error) {
    if (!(error instanceof SettledMeanwhile)) throw error;
    for (const bid of bids) await markFrozen(em, [bid], now);
  }
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
    const moved = await tx.nativeUpdate(
      Funding,
      { loanId, status: 'FUNDRAISING', raisedFen: funding.amountFen },
      { status: 'FULLY_FUNDED' },
    );
    if (moved === 0) return false;
    const frozen = await tx.find(Bid, { loanId, status: 'FROZEN' }, { orderBy: { id: 'asc' } });
    const sumFen = frozen.reduce((sum, bid) => sum + bid.amountFen, 0n);
    assert(
      sumFen === funding.amountFen,
      `loan ${loanId}: frozen bids hold ${sumFen} fen, the loan is ${funding.amountFen}`,
    );
    publishEvent(
      tx,
      LoanFullyFunded,
      loanId,
      {
        loanId,
        raisedFen: sumFen.toString(),
        bids: frozen.map((bid) => ({ bidId: bid.id, investorId: bid.investorId, amountFen: bid.amountFen.toString() })),
      },
      now,
    );
    return true;
  });
}

/** Sends a failed loan's CANCEL_PRE_TRANSACTION (requestNo stored first) and, once done, FROZEN → REFUNDED. */
export async function releaseFreeze(em: EntityManager, bank: InternalBankClient, bid: Bid): Promise<boolean> {
  assert(bid.status === 'FROZEN' && bid.releaseRequestNo !== null, `bid ${bid.id} has no release to send`);
  const outcome = await sendToBank(
    bank,
    'CANCEL_PRE_TRANSACTION',
    { requestNo: bid.releaseRequestNo, preRequestNo: bid.requestNo },
    bid.investorId,
  );
  if (outcome.kind !== 'DONE') return false;
  const [from, to] = BID_TRANSITIONS.REFUND;
  return (
    (await em.nativeUpdate(
      Bid,
      { id: bid.id, status: from, releaseRequestNo: bid.releaseRequestNo },
      { status: to },
    )) === 1
  );
}
