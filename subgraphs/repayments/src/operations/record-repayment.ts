import {
  addToStatisticsDays,
  assert,
  businessTimestamp,
  publishEvent,
  retryingLockConflicts,
  rowLockOptions,
  splitSchedule,
  type BidShare,
  type EntityManager,
  type SplitSoFar,
} from '@wanxin/platform';
import { INSTALLMENT_TRANSITIONS, UNPAID_STATUSES } from '../domain/installment-status';
import { settleInstallment } from '../domain/settlement';
import { Collection } from '../entities/collection.entity';
import { Installment } from '../entities/installment.entity';
import { StatisticsDay } from '../entities/statistics-day.entity';
import { LoanShare } from '../entities/loan-share.entity';
import { Receivable } from '../entities/receivable.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { InstallmentRepaid, LoanSettled } from '@wanxin/platform/contracts';
import { confirmRequestNoFor, newProjectSettleRequestNo } from '../domain/request-numbers';
import { closeCasesOfCurrentLoans, markCollectionsFrozen } from '../store';

/** What one installment is repaid with: its own amounts, or an early repayment's rewritten ones. */
export interface RepaidRow {
  installmentId: string;
  principalFen: bigint;
  interestFen: bigint;
  penaltyFen: bigint;
  /** The amounts differ from the stored schedule: the receivables are split again. */
  rewritten: boolean;
}

export interface RecordedRepayment {
  installmentsRepaid: number;
  loanSettled: boolean;
}

export interface FrozenCollection {
  collection: Collection;
  rows: RepaidRow[];
}

interface LoanOf {
  loan: RepaymentLoan;
  shares: LoanShare[];
}

/**
 * The bank froze the collections' money: in one transaction each collection is FROZEN, its installments
 * REPAID with their receivables RECEIVED (penalty shared among them cumulatively), `repayments.installment.repaid` per
 * installment, and every loan with nothing left unpaid SETTLED with `repayments.loan.settled`. A
 * collection someone else already recorded changes nothing. The work is a handful of statements for
 * the whole batch, not per installment.
 */
export async function recordRepayments(
  em: EntityManager,
  frozen: readonly FrozenCollection[],
  now: Date,
): Promise<RecordedRepayment[]> {
  for (const { collection, rows } of frozen) {
    assert(rows.length >= 1, `collection ${collection.requestNo} repays at least one installment`);
    const totalFen = rows.reduce((sum, row) => sum + row.principalFen + row.interestFen + row.penaltyFen, 0n);
    assert(
      totalFen === collection.amountFen,
      `collection ${collection.requestNo} froze ${collection.amountFen} fen for installments of ${totalFen}`,
    );
  }
  // A fresh identity map: the caller's may hold these rows as read before another request recorded them.
  return retryingLockConflicts(() =>
    em.fork().transactional(async (tx) => {
      const claimed = await claimCollections(
        tx,
        frozen.map(({ collection }) => collection.requestNo),
        now,
      );
      const mine = frozen.filter(({ collection }) => claimed.has(collection.requestNo));
      const loans = await loansOf(
        tx,
        mine.map(({ collection }) => collection.loanId),
      );
      const repaidFacts = await repayInstallments(tx, mine, loans, now);
      await closeCasesOfRepaidLoans(tx, mine);
      const settled = await settleRepaidLoans(
        tx,
        [...loans.values()].map(({ loan }) => loan),
        now,
      );
      // Counted last, after the flush: every batch of the day adds to the same statistics row, whose lock is
      // then held only until the commit, not through the batch's own writes.
      await tx.flush();
      await addToStatisticsDays(tx, StatisticsDay, repaidFacts);
      return frozen.map(({ collection, rows }) =>
        claimed.has(collection.requestNo)
          ? { installmentsRepaid: rows.length, loanSettled: settled.has(collection.loanId) }
          : { installmentsRepaid: 0, loanSettled: false },
      );
    }),
  );
}

/** A loan current again (nothing OVERDUE) has its collection case CLOSED, on the repayment's business date. */
async function closeCasesOfRepaidLoans(tx: EntityManager, mine: readonly FrozenCollection[]): Promise<void> {
  const loansByDay = new Map<string, string[]>();
  for (const { collection } of mine) {
    if (!loansByDay.has(collection.businessDate)) loansByDay.set(collection.businessDate, []);
    loansByDay.get(collection.businessDate)!.push(collection.loanId);
  }
  for (const [day, loanIds] of loansByDay) await closeCasesOfCurrentLoans(tx, [...new Set(loanIds)], day);
}

/**
 * The collections still SENT, locked and moved to FROZEN with their confirm requestNo: the ones this
 * transaction records. The settle pass sends each FROZEN collection's CONFIRM_REPAYMENT from then on.
 */
async function claimCollections(tx: EntityManager, requestNos: string[], now: Date): Promise<Set<string>> {
  // Locked by primary key alone: a condition on status could lock by the status index, whose gaps
  // concurrent batches and new collections share, and deadlock. Past the identity map: a partly loaded
  // managed collection would be flushed back with its unloaded columns as they were (answeredAt, …).
  const locked = await tx.find(
    Collection,
    { requestNo: { $in: requestNos } },
    { ...rowLockOptions(tx), fields: ['requestNo', 'status'], disableIdentityMap: true },
  );
  const claimed = new Set(
    locked.filter((collection) => collection.status === 'SENT').map((collection) => collection.requestNo),
  );
  if (claimed.size === 0) return claimed;
  const moved = await markCollectionsFrozen(
    tx,
    [...claimed].map((requestNo) => ({ requestNo, confirmRequestNo: confirmRequestNoFor(requestNo) })),
    now,
  );
  assert(moved === claimed.size, `${claimed.size} locked SENT collections, ${moved} moved to FROZEN`);
  return claimed;
}

async function loansOf(tx: EntityManager, loanIds: string[]): Promise<Map<string, LoanOf>> {
  if (loanIds.length === 0) return new Map();
  const ids = [...new Set(loanIds)];
  const loans = new Map(
    (await tx.find(RepaymentLoan, { id: { $in: ids } })).map((loan) => [loan.id, { loan, shares: [] as LoanShare[] }]),
  );
  assert(loans.size === ids.length, 'every repaid loan exists');
  for (const share of await tx.find(LoanShare, { loanId: { $in: ids } })) loans.get(share.loanId)!.shares.push(share);
  return loans;
}

/** A later period an early repayment rewrote to nothing: SETTLED_EARLY, with its receivables, not REPAID. */
function closesAtZero(row: RepaidRow): boolean {
  return row.rewritten && row.principalFen + row.interestFen + row.penaltyFen === 0n;
}

/** What a repaid installment adds to the statistics (statistics.subscription.ts says why it is counted here). */
interface RepaidFact {
  businessDate: string;
  increments: { amountRepaidFen: bigint };
}

async function repayInstallments(
  tx: EntityManager,
  mine: readonly FrozenCollection[],
  loans: ReadonlyMap<string, LoanOf>,
  now: Date,
): Promise<RepaidFact[]> {
  const repaid = mine.flatMap(({ collection, rows }) =>
    rows.map((row) => ({
      row,
      requestNo: collection.requestNo,
      repaidAt: businessTimestamp(collection.businessDate, now),
      businessDate: collection.businessDate,
      ...loans.get(collection.loanId)!,
    })),
  );
  if (repaid.length === 0) return [];
  // Locked: an unpaid installment read here stays unpaid until this transaction ends.
  const installments = new Map(
    (await tx.find(Installment, { id: { $in: repaid.map(({ row }) => row.installmentId) } }, rowLockOptions(tx))).map(
      (installment) => [installment.id, installment],
    ),
  );
  const repaidFacts: RepaidFact[] = [];
  for (const { row, requestNo, repaidAt, businessDate, loan } of repaid) {
    const [from, to] = INSTALLMENT_TRANSITIONS[closesAtZero(row) ? 'CLOSE_EARLY' : 'REPAY'];
    const installment = installments.get(row.installmentId);
    assert(
      installment !== undefined && installment.loanId === loan.id,
      `installment ${row.installmentId} belongs to loan ${loan.id}`,
    );
    assert(
      from.includes(installment.status),
      `installment ${installment.id} of loan ${loan.id} must be unpaid to be repaid, is ${installment.status}`,
    );
    if (row.rewritten) Object.assign(installment, { principalFen: row.principalFen, interestFen: row.interestFen });
    Object.assign(installment, {
      status: to,
      repaidAt,
      repaidBusinessDate: businessDate,
      penaltyFen: row.penaltyFen,
      collectionRequestNo: requestNo,
    });
    // Nothing was paid for a period closed at zero: no one needs to hear of it (the collection has its
    // current period's event, which asks for the confirmation).
    if (to === 'SETTLED_EARLY') continue;
    const amountRepaidFen = installment.principalFen + installment.interestFen + installment.penaltyFen;
    repaidFacts.push({ businessDate, increments: { amountRepaidFen } });
    publishEvent(
      tx,
      InstallmentRepaid,
      loan.id,
      {
        installmentId: installment.id,
        loanId: loan.id,
        borrowerId: loan.borrowerId,
        period: installment.period,
        amountFen: (installment.principalFen + installment.interestFen).toString(),
        principalFen: installment.principalFen.toString(),
        penaltyFen: installment.penaltyFen.toString(),
        repaidAt: repaidAt.toISOString(),
        collectionRequestNo: requestNo,
        businessDate,
      },
      now,
    );
  }
  const rewritten = repaid.filter(({ row }) => row.rewritten);
  await resplitRewritten(
    tx,
    rewritten.map(({ row, loan, shares }) => ({
      installment: installments.get(row.installmentId)!,
      loan,
      shares,
    })),
  );
  const closedAtZero = repaid.filter(({ row }) => closesAtZero(row)).map(({ row }) => row.installmentId);
  if (closedAtZero.length > 0)
    await tx.nativeUpdate(Receivable, { installmentId: { $in: closedAtZero } }, { status: 'SETTLED_EARLY' });
  const withoutPenalty = repaid
    .filter(({ row }) => row.penaltyFen === 0n && !closesAtZero(row))
    .map(({ row }) => row.installmentId);
  if (withoutPenalty.length > 0)
    await tx.nativeUpdate(Receivable, { installmentId: { $in: withoutPenalty } }, { status: 'RECEIVED' });
  const withPenalty = repaid.filter(({ row }) => row.penaltyFen > 0n);
  if (withPenalty.length > 0)
    await sharePenalties(
      tx,
      withPenalty.map(({ row, shares }) => ({ installment: installments.get(row.installmentId)!, shares })),
    );
  await tx.flush();
  return repaidFacts;
}

/**
 * Overdue installments' penalties, shared among their receivables cumulatively by bid (largest remainder
 * of the loan's penalty to date, counting the loan's installments repaid before, in period order); all
 * RECEIVED. A loan has one collection open at a time, so no other transaction adds to its penalties meanwhile.
 */
async function sharePenalties(
  tx: EntityManager,
  penalised: { installment: Installment; shares: LoanShare[] }[],
): Promise<void> {
  const installmentIds = penalised.map(({ installment }) => installment.id);
  const receivables = await tx.find(
    Receivable,
    { installmentId: { $in: installmentIds } },
    {
      orderBy: { bidId: 'asc' },
    },
  );
  const loanIds = [...new Set(penalised.map(({ installment }) => installment.loanId))];
  const heldByLoanBid = await penaltiesHeld(tx, loanIds, installmentIds);
  const inOrder = [...penalised].sort((left, right) => left.installment.period - right.installment.period);
  for (const { installment, shares } of inOrder) {
    const weightByBid = new Map(shares.map((share) => [share.bidId, share.amountFen]));
    const own = receivables.filter((receivable) => receivable.installmentId === installment.id);
    const heldKey = (bidId: string) => `${installment.loanId}:${bidId}`;
    const settlement = settleInstallment(
      installment,
      own.map((receivable) => {
        const bidAmountFen = weightByBid.get(receivable.bidId);
        assert(
          bidAmountFen !== undefined,
          `receivable ${receivable.id} names bid ${receivable.bidId}, not one of loan ${installment.loanId}'s`,
        );
        return {
          receivableId: receivable.id,
          investorId: receivable.investorId,
          principalFen: receivable.principalFen,
          interestFen: receivable.interestFen,
          bidAmountFen,
          penaltyHeldFen: heldByLoanBid.get(heldKey(receivable.bidId)) ?? 0n,
        };
      }),
    );
    settlement.payments.forEach((payment, index) => {
      Object.assign(own[index], { status: 'RECEIVED', penaltyFen: payment.penaltyFen });
      const key = heldKey(own[index].bidId);
      heldByLoanBid.set(key, (heldByLoanBid.get(key) ?? 0n) + payment.penaltyFen);
    });
  }
}

/** The penalty each bid (`loanId:bidId`) of the loans received from installments other than `excludedIds`. */
async function penaltiesHeld(
  tx: EntityManager,
  loanIds: string[],
  excludedIds: string[],
): Promise<Map<string, bigint>> {
  // Through the loans' penalised installments: receivables are indexed by installment, not by loan.
  const penalised = { loanId: { $in: loanIds }, id: { $nin: excludedIds }, penaltyFen: { $gt: 0n } };
  const earlier = await tx.find(Installment, penalised, {
    fields: ['id'],
    disableIdentityMap: true,
  });
  if (earlier.length === 0) return new Map();
  const paid = await tx.find(
    Receivable,
    { installmentId: { $in: earlier.map(({ id }) => id) } },
    {
      fields: ['loanId', 'bidId', 'penaltyFen'],
      disableIdentityMap: true,
    },
  );
  const held = new Map<string, bigint>();
  for (const { loanId, bidId, penaltyFen } of paid) {
    const key = `${loanId}:${bidId}`;
    held.set(key, (held.get(key) ?? 0n) + penaltyFen);
  }
  return held;
}

interface RewrittenInstallment extends LoanOf {
  installment: Installment;
}

/**
 * An early repayment rewrites a loan's remaining installments (a run of periods to the last): their
 * receivables are split again, continuing the loan's cumulative split from what each bid holds of the
 * installments before them, so every investor still gets back exactly the principal lent.
 */
async function resplitRewritten(tx: EntityManager, rewritten: readonly RewrittenInstallment[]): Promise<void> {
  const byLoan = new Map<string, RewrittenInstallment[]>();
  for (const entry of rewritten) {
    const entries = byLoan.get(entry.loan.id) ?? [];
    entries.push(entry);
    byLoan.set(entry.loan.id, entries);
  }
  for (const entries of byLoan.values()) {
    const { loan, shares } = entries[0];
    const rows = entries.map(({ installment }) => installment).sort((left, right) => left.period - right.period);
    rows.forEach((installment, index) => {
      assert(index === 0 || installment.period === rows[index - 1].period + 1, `loan ${loan.id} rewrites with a gap`);
    });
    const lastPeriod = rows[rows.length - 1].period;
    const lastOfLoan = loan.repaymentMethod === 'BULLET' ? 1 : loan.termMonths;
    assert(lastPeriod === lastOfLoan, `loan ${loan.id} rewrites up to period ${lastPeriod}, not ${lastOfLoan}`);
    const soFar = await splitSoFar(tx, loan.id, rows[0].period, shares);
    const terms = {
      bids: shares.map((share) => ({ bidId: share.bidId, amountFen: share.amountFen })),
      borrowerRateMicros: loan.annualRateMicros,
      investorRateMicros: loan.investorRateMicros,
    };
    const splits = splitSchedule(rows, terms, soFar);
    for (const [index, installment] of rows.entries()) {
      for (const { bidId, principalFen, interestFen } of splits[index].shares) {
        const where = { installmentId: installment.id, bidId };
        const updated = await tx.nativeUpdate(Receivable, where, { principalFen, interestFen });
        assert(updated === 1, `installment ${installment.id} has one receivable for bid ${bidId}`);
      }
    }
  }
}

/** The loan's installments before `period`: their sums and what each bid's receivables hold of them. */
async function splitSoFar(
  tx: EntityManager,
  loanId: string,
  period: number,
  shares: readonly LoanShare[],
): Promise<SplitSoFar> {
  // Read past the identity map: receivables of this batch are loaded in full later to share penalties.
  const earlier = await tx.find(
    Installment,
    { loanId, period: { $lt: period } },
    {
      fields: ['id', 'principalFen', 'interestFen'],
      disableIdentityMap: true,
    },
  );
  assert(earlier.length === period - 1, `loan ${loanId} has ${earlier.length} installments before period ${period}`);
  const held = new Map<string, BidShare>();
  for (const { bidId } of shares) held.set(bidId, { bidId, principalFen: 0n, interestFen: 0n });
  if (earlier.length > 0) {
    const earlierIds = earlier.map((installment) => installment.id);
    const receivables = await tx.find(
      Receivable,
      { installmentId: { $in: earlierIds } },
      {
        fields: ['bidId', 'principalFen', 'interestFen'],
        disableIdentityMap: true,
      },
    );
    assert(receivables.length === earlier.length * shares.length, `loan ${loanId}: one receivable per period and bid`);
    for (const receivable of receivables) {
      const share = held.get(receivable.bidId);
      assert(share !== undefined, `receivable ${receivable.id} names bid ${receivable.bidId}, not of loan ${loanId}`);
      share.principalFen += receivable.principalFen;
      share.interestFen += receivable.interestFen;
    }
  }
  return {
    principalFen: earlier.reduce((sum, installment) => sum + installment.principalFen, 0n),
    interestFen: earlier.reduce((sum, installment) => sum + installment.interestFen, 0n),
    shares: [...held.values()],
  };
}

/** Every loan with nothing left unpaid is SETTLED, once, with `repayments.loan.settled`. */
async function settleRepaidLoans(tx: EntityManager, loans: readonly RepaymentLoan[], now: Date): Promise<Set<string>> {
  const settled = new Set<string>();
  if (loans.length === 0) return settled;
  const unpaid = await tx.find(
    Installment,
    { loanId: { $in: loans.map((loan) => loan.id) }, status: { $in: [...UNPAID_STATUSES] } },
    { fields: ['loanId'], disableIdentityMap: true },
  );
  const owing = new Set(unpaid.map((installment) => installment.loanId));
  for (const loan of loans.filter((candidate) => !owing.has(candidate.id))) {
    const moved = await tx.nativeUpdate(
      RepaymentLoan,
      { id: loan.id, status: 'REPAYING' },
      { status: 'SETTLED', settledAt: now, projectSettleRequestNo: newProjectSettleRequestNo() },
    );
    if (moved === 0) continue;
    publishEvent(tx, LoanSettled, loan.id, { loanId: loan.id, settledAt: now.toISOString() }, now);
    settled.add(loan.id);
  }
  return settled;
}
