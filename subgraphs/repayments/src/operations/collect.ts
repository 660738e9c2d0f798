import { assert, rowLockOptions, type BankOutcome, type EntityManager, type InternalBankClient } from '@wanxin/platform';
import { earlyRepaymentPlan } from '../domain/early-repayment';
import { newCollectionRequestNo } from '../domain/request-numbers';
import { UNPAID_STATUSES } from '../domain/installment-status';
import { Collection, type CollectionKind } from '../entities/collection.entity';
import { Installment } from '../entities/installment.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { freezeRepayment } from './bank-instructions';
import { recordRepayment, type RepaidRow } from './record-repayment';

export type CollectOutcome =
  | { kind: 'REPAID'; installmentsRepaid: number; loanSettled: boolean }
  | { kind: 'REFUSED'; code: string; message: string }
  /** The bank did not answer: the collection stays SENT and the settle pass asks again. */
  | { kind: 'UNKNOWN'; reason: string }
  /** Another collection of the loan is still waiting for the bank: nothing was sent. */
  | { kind: 'BUSY' };

interface NewCollection {
  kind: CollectionKind;
  installmentId: string | null;
  amountFen: bigint;
}

/**
 * One freeze at a time per loan: under the loan's row lock, the loan's SENT collection is returned when it
 * is the same request (sent again), BUSY when it is another; otherwise a new SENT collection is recorded
 * before anything is sent, so an answer can always be matched to it.
 */
async function openCollection(em: EntityManager, loanId: string, wanted: (tx: EntityManager) => Promise<NewCollection>, businessDate: string): Promise<Collection | 'BUSY'> {
  return em.transactional(async (tx) => {
    await tx.findOneOrFail(RepaymentLoan, { id: loanId }, rowLockOptions(tx));
    const want = await wanted(tx);
    assert(want.amountFen > 0n, `a collection freezes a positive amount, got ${want.amountFen}`);
    const open = await tx.findOne(Collection, { loanId, status: 'SENT' });
    if (open !== null) return open.kind === want.kind && open.installmentId === want.installmentId ? open : 'BUSY';
    // The wall clock, not the run's `now`: the settle pass's grace period counts from when it was really sent.
    const collection = tx.create(Collection, { requestNo: newCollectionRequestNo(), loanId, ...want, businessDate, status: 'SENT', createdAt: new Date() }, { persist: false });
    await tx.insert(collection);
    return collection;
  });
}

/**
 * Collects one unpaid installment on `businessDate`: its amount plus the penalty so far, frozen at the bank
 * under a new requestNo — or, when an earlier attempt is still unanswered, that attempt sent again.
 */
export async function collectInstallment(em: EntityManager, bank: InternalBankClient, installment: Installment, businessDate: string, now: Date): Promise<CollectOutcome> {
  assert(UNPAID_STATUSES.includes(installment.status), `installment ${installment.id} is ${installment.status}`);
  const amountFen = installment.principalFen + installment.interestFen + installment.penaltyFen;
  const collection = await openCollection(em, installment.loanId, async () => ({ kind: 'INSTALLMENT', installmentId: installment.id, amountFen }), businessDate);
  return collection === 'BUSY' ? { kind: 'BUSY' } : sendCollection(em, bank, collection, now);
}

/** Opens an early repayment's collection of everything owed on `businessDate` and sends it. */
export async function collectEarly(em: EntityManager, bank: InternalBankClient, loan: RepaymentLoan, businessDate: string, now: Date): Promise<{ outcome: CollectOutcome; amountFen: bigint }> {
  const collection = await openCollection(em, loan.id, async (tx) => {
    const plan = earlyRepaymentPlan(await loanSchedule(tx, loan.id), loan.startDate, businessDate, loan.annualRateMicros);
    return { kind: 'EARLY', installmentId: null, amountFen: plan.totalFen };
  }, businessDate);
  if (collection === 'BUSY') return { outcome: { kind: 'BUSY' }, amountFen: 0n };
  return { outcome: await sendCollection(em, bank, collection, now), amountFen: collection.amountFen };
}

/** Sends (again) a SENT collection's freeze with its own requestNo and records the answer. */
export async function sendCollection(em: EntityManager, bank: InternalBankClient, collection: Collection, now: Date): Promise<CollectOutcome> {
  assert(collection.status === 'SENT', `collection ${collection.requestNo} is ${collection.status}`);
  const loan = await em.findOneOrFail(RepaymentLoan, { id: collection.loanId });
  const outcome: BankOutcome = await freezeRepayment(bank, collection.requestNo, loan.borrowerId, loan.loanNo, collection.amountFen);
  switch (outcome.kind) {
    case 'UNKNOWN':
      return outcome;
    case 'REFUSED':
      await em.nativeUpdate(Collection, { requestNo: collection.requestNo, status: 'SENT' }, { status: 'REFUSED', answeredAt: now });
      return outcome;
    case 'DONE': {
      const recorded = await recordRepayment(em, collection, await rowsOfCollection(em, collection, loan), now);
      return { kind: 'REPAID', ...recorded };
    }
  }
}

/** What a collection repays, computed from what it was opened with (nothing else moves a loan meanwhile). */
async function rowsOfCollection(em: EntityManager, collection: Collection, loan: RepaymentLoan): Promise<RepaidRow[]> {
  if (collection.kind === 'EARLY') {
    const plan = earlyRepaymentPlan(await loanSchedule(em, loan.id), loan.startDate, collection.businessDate, loan.annualRateMicros);
    assert(plan.totalFen === collection.amountFen, `early repayment ${collection.requestNo}: the plan is ${plan.totalFen} fen, ${collection.amountFen} was frozen`);
    return plan.rows.map((row) => ({ installmentId: row.id, principalFen: row.principalFen, interestFen: row.interestFen, penaltyFen: row.penaltyFen, rewritten: row.rewritten }));
  }
  assert(collection.installmentId !== null, `collection ${collection.requestNo} names its installment`);
  const installment = await em.findOneOrFail(Installment, { id: collection.installmentId }, { refresh: true });
  // The penalty is what the freeze holds beyond the installment's amount: the penalty on the day it was asked.
  const penaltyFen = collection.amountFen - installment.principalFen - installment.interestFen;
  assert(penaltyFen >= 0n, `collection ${collection.requestNo} froze less than installment ${installment.id} is`);
  return [{ installmentId: installment.id, principalFen: installment.principalFen, interestFen: installment.interestFen, penaltyFen, rewritten: false }];
}

export async function loanSchedule(em: EntityManager, loanId: string): Promise<Installment[]> {
  return em.find(Installment, { loanId }, { orderBy: { period: 'asc' }, refresh: true });
}
