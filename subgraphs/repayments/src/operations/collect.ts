import {
  assert,
  retryingLockConflicts,
  rowLockOptions,
  type BankOutcome,
  type EntityManager,
  type InternalBankClient,
} from '@wanxin/platform';
import { earlyRepaymentPlan } from '../domain/early-repayment';
import { newCollectionRequestNo } from '../domain/request-numbers';
import { UNPAID_STATUSES } from '../domain/installment-status';
import { Collection, type CollectionKind } from '../entities/collection.entity';
import { Installment } from '../entities/installment.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { RepaymentErrors } from '../domain/errors';
import { freezeRepayment } from './bank-instructions';
import { endListings, openListingsOfLoans } from './transfer-listings';
import { recordRepayments, type RepaidRow } from './record-repayment';

export type CollectOutcome =
  | { kind: 'REPAID'; installmentsRepaid: number; loanSettled: boolean }
  | { kind: 'REFUSED'; code: string; message: string }
  /** The bank did not answer: the collection stays SENT and the settle pass asks again. */
  | { kind: 'UNKNOWN'; reason: string }
  /** Another collection of the loan is still waiting for the bank: nothing was sent. */
  | { kind: 'BUSY' }
  /** The installment was repaid meanwhile (the daily run, the borrower, an early repayment): nothing was sent. */
  | { kind: 'ALREADY_REPAID' };

interface WantedCollection {
  loanId: string;
  kind: CollectionKind;
  installmentId: string | null;
  amountFen: bigint;
}

type Opened = Collection | 'BUSY' | 'ALREADY_REPAID';

/**
 * One freeze at a time per loan: under the loans' row locks, a loan's SENT collection is returned when it
 * is the same installment's (sent again), BUSY when it is another or an early repayment (a borrower's
 * second call while the first waits: the settle pass asks the bank about the first); otherwise a new SENT
 * collection is recorded before anything is sent, so an answer can always be matched to it. `wanted`
 * runs under the locks and says null for an installment no longer owed. One transaction for them all.
 *
 * Claim transfers serialize here too (under the same lock as a sale's reservation, buy-transfer.ts): a loan
 * whose holding is being sold (SELLING) is BUSY, since the freeze's answer would fix receivables the buyer
 * is paying for as the seller's; a loan collected now has its LISTED listings ended, since the holding a
 * buyer would get is about to change (real platforms withdraw listings on repayment day).
 */
async function openCollections(
  em: EntityManager,
  businessDate: string,
  loanIds: readonly string[],
  wanted: (tx: EntityManager) => Promise<(WantedCollection | null)[]>,
): Promise<Opened[]> {
  // A fresh identity map: rows read under the locks are current, and nothing stale is flushed back.
  return retryingLockConflicts(() =>
    em.fork().transactional(async (tx) => {
      assert(new Set(loanIds).size === loanIds.length, 'one collection per loan at a time');
      const locked = await tx.find(
        RepaymentLoan,
        { id: { $in: [...loanIds] } },
        { ...rowLockOptions(tx), fields: ['id'], disableIdentityMap: true },
      );
      assert(locked.length === loanIds.length, 'every collected loan exists');
      const answers = await wanted(tx);
      const wants = answers.filter((want): want is WantedCollection => want !== null);
      for (const want of wants) {
        assert(loanIds.includes(want.loanId), `collection wanted for loan ${want.loanId}, which is not locked`);
        assert(want.amountFen > 0n, `a collection freezes a positive amount, got ${want.amountFen}`);
      }
      const openByLoan = new Map(
        (await tx.find(Collection, { loanId: { $in: wants.map((want) => want.loanId) }, status: 'SENT' })).map(
          (open) => [open.loanId, open],
        ),
      );
      const listings = await openListingsOfLoans(
        tx,
        wants.map((want) => want.loanId),
      );
      const selling = new Set(listings.filter((listing) => listing.status === 'SELLING').map(({ loanId }) => loanId));
      // The wall clock, not the run's `now`: the settle pass's grace period counts from when it was really sent.
      const createdAt = new Date();
      const opened = answers.map((want): Opened => {
        if (want === null) return 'ALREADY_REPAID';
        if (selling.has(want.loanId)) return 'BUSY';
        const open = openByLoan.get(want.loanId);
        if (open !== undefined)
          return want.kind === 'INSTALLMENT' && open.installmentId === want.installmentId ? open : 'BUSY';
        return tx.create(
          Collection,
          { requestNo: newCollectionRequestNo(), ...want, businessDate, status: 'SENT', createdAt },
          { persist: false },
        );
      });
      const created = opened.filter(
        (collection): collection is Collection => typeof collection !== 'string' && !openByLoan.has(collection.loanId),
      );
      if (created.length > 0) await tx.insertMany(created);
      for (const kind of ['INSTALLMENT', 'EARLY'] as const) {
        const collected = new Set(created.filter((collection) => collection.kind === kind).map(({ loanId }) => loanId));
        await endListings(
          tx,
          listings.filter((listing) => listing.status === 'LISTED' && collected.has(listing.loanId)),
          kind === 'EARLY' ? 'REPAID_EARLY' : 'INSTALLMENT_COLLECTED',
          createdAt,
        );
      }
      return opened;
    }),
  );
}

/**
 * Collects installments of different loans on `businessDate`, one batch at the bank: each its amount plus
 * the penalty so far, as read under the loan's lock (the daily run and the borrower may both try), frozen
 * under a new requestNo — or, when an earlier attempt is still unanswered, that attempt sent again.
 */
export async function collectInstallments(
  em: EntityManager,
  bank: InternalBankClient,
  installments: readonly Installment[],
  businessDate: string,
  now: Date,
): Promise<CollectOutcome[]> {
  const opened = await openCollections(
    em,
    businessDate,
    installments.map((installment) => installment.loanId),
    async (tx) => {
      const current = new Map(
        (await tx.find(Installment, { id: { $in: installments.map(({ id }) => id) } }, { refresh: true })).map(
          (installment) => [installment.id, installment],
        ),
      );
      return installments.map(({ id }) => {
        const installment = current.get(id);
        assert(installment !== undefined, `installment ${id} exists`);
        if (!UNPAID_STATUSES.includes(installment.status)) return null;
        return {
          loanId: installment.loanId,
          kind: 'INSTALLMENT',
          installmentId: installment.id,
          amountFen: installment.principalFen + installment.interestFen + installment.penaltyFen,
        };
      });
    },
  );
  const toSend = opened.filter((collection): collection is Collection => typeof collection !== 'string');
  const sent = new Map<Collection, CollectOutcome>();
  if (toSend.length > 0)
    (await sendCollections(em, bank, toSend, now)).forEach((outcome, index) => sent.set(toSend[index], outcome));
  return opened.map((collection) => (typeof collection === 'string' ? { kind: collection } : sent.get(collection)!));
}

/** Opens an early repayment's collection of everything owed on `businessDate` and sends it. */
export async function collectEarly(
  em: EntityManager,
  bank: InternalBankClient,
  loan: RepaymentLoan,
  businessDate: string,
  now: Date,
): Promise<{ outcome: CollectOutcome; amountFen: bigint }> {
  // Under the loan's lock: a concurrent early repayment that settled it meanwhile is seen.
  const [collection] = await openCollections(em, businessDate, [loan.id], async (tx) => {
    const schedule = await loanSchedule(tx, loan.id);
    if (!schedule.some((row) => UNPAID_STATUSES.includes(row.status))) throw RepaymentErrors.loanNotRepaying(loan.id);
    const plan = earlyRepaymentPlan(schedule, loan.startDate, businessDate, loan.annualRateMicros);
    return [{ loanId: loan.id, kind: 'EARLY', installmentId: null, amountFen: plan.totalFen }];
  });
  if (typeof collection === 'string') return { outcome: { kind: collection }, amountFen: 0n };
  const [outcome] = await sendCollections(em, bank, [collection], now);
  return { outcome, amountFen: collection.amountFen };
}

/**
 * Sends (again) SENT collections' freezes, each with its own requestNo, as one batch, and records the
 * answers: refusals in one update, freezes in one transaction (record-repayment.ts).
 */
export async function sendCollections(
  em: EntityManager,
  bank: InternalBankClient,
  collections: readonly Collection[],
  now: Date,
): Promise<CollectOutcome[]> {
  for (const collection of collections)
    assert(collection.status === 'SENT', `collection ${collection.requestNo} is ${collection.status}`);
  const loans = new Map(
    (
      await em.find(RepaymentLoan, { id: { $in: [...new Set(collections.map((collection) => collection.loanId))] } })
    ).map((loan) => [loan.id, loan]),
  );
  const answers: BankOutcome[] = await bank.instructBatch(
    collections.map((collection) => {
      const loan = loans.get(collection.loanId);
      assert(loan !== undefined, `collection ${collection.requestNo} names unknown loan ${collection.loanId}`);
      return freezeRepayment(collection.requestNo, loan, collection.amountFen);
    }),
  );
  const refused = collections
    .filter((_, index) => answers[index].kind === 'REFUSED')
    .map((collection) => collection.requestNo);
  if (refused.length > 0)
    await em.nativeUpdate(
      Collection,
      { requestNo: { $in: refused }, status: 'SENT' },
      { status: 'REFUSED', answeredAt: now },
    );
  const frozen = collections.filter((_, index) => answers[index].kind === 'DONE');
  const recorded =
    frozen.length === 0 ? [] : await recordRepayments(em, await rowsOfCollections(em, frozen, loans), now);
  return answers.map((answer) => (answer.kind === 'DONE' ? { kind: 'REPAID', ...recorded.shift()! } : answer));
}

/** What each collection repays, computed from what it was opened with (nothing else moves a loan meanwhile). */
async function rowsOfCollections(
  em: EntityManager,
  collections: readonly Collection[],
  loans: ReadonlyMap<string, RepaymentLoan>,
): Promise<{ collection: Collection; rows: RepaidRow[] }[]> {
  const installmentIds = collections.flatMap((collection) =>
    collection.installmentId === null ? [] : [collection.installmentId],
  );
  const installments = new Map(
    (await em.find(Installment, { id: { $in: installmentIds } }, { refresh: true })).map((installment) => [
      installment.id,
      installment,
    ]),
  );
  const entries = [];
  for (const collection of collections) {
    if (collection.kind === 'EARLY') {
      const loan = loans.get(collection.loanId)!;
      const plan = earlyRepaymentPlan(
        await loanSchedule(em, loan.id),
        loan.startDate,
        collection.businessDate,
        loan.annualRateMicros,
      );
      assert(
        plan.totalFen === collection.amountFen,
        `early repayment ${collection.requestNo}: the plan is ${plan.totalFen} fen, ${collection.amountFen} was frozen`,
      );
      entries.push({
        collection,
        rows: plan.rows.map((row) => ({
          installmentId: row.id,
          principalFen: row.principalFen,
          interestFen: row.interestFen,
          penaltyFen: row.penaltyFen,
          rewritten: row.rewritten,
        })),
      });
      continue;
    }
    const installment = installments.get(collection.installmentId ?? '');
    assert(installment !== undefined, `collection ${collection.requestNo} names its installment`);
    // The penalty is what the freeze holds beyond the installment's amount: the penalty on the day it was asked.
    const penaltyFen = collection.amountFen - installment.principalFen - installment.interestFen;
    assert(penaltyFen >= 0n, `collection ${collection.requestNo} froze less than installment ${installment.id} is`);
    entries.push({
      collection,
      rows: [
        {
          installmentId: installment.id,
          principalFen: installment.principalFen,
          interestFen: installment.interestFen,
          penaltyFen,
          rewritten: false,
        },
      ],
    });
  }
  return entries;
}

export async function loanSchedule(em: EntityManager, loanId: string): Promise<Installment[]> {
  return em.find(Installment, { loanId }, { orderBy: { period: 'asc' }, refresh: true });
}
