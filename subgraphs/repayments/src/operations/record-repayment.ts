import { assert, publishEvent, splitInstallment, type EntityManager } from '@wanxin/platform';
import { INSTALLMENT_TRANSITIONS, UNPAID_STATUSES } from '../domain/installment-status';
import { settleInstallment } from '../domain/settlement';
import { Collection } from '../entities/collection.entity';
import { Installment } from '../entities/installment.entity';
import { LoanShare } from '../entities/loan-share.entity';
import { Receivable } from '../entities/receivable.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { InstallmentRepaid, LoanSettled } from '../events/repayment-events';

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

/**
 * The bank froze the collection's money: in one transaction the collection is FROZEN, each installment
 * REPAID with its receivables RECEIVED (penalty shared among them), `repayments.installment.repaid` per
 * installment, and — when nothing is left unpaid — the loan SETTLED with `repayments.loan.settled`.
 * A collection someone else already recorded changes nothing.
 */
export async function recordRepayment(em: EntityManager, collection: Collection, rows: readonly RepaidRow[], now: Date): Promise<RecordedRepayment> {
  assert(rows.length >= 1, `collection ${collection.requestNo} repays at least one installment`);
  const totalFen = rows.reduce((sum, row) => sum + row.principalFen + row.interestFen + row.penaltyFen, 0n);
  assert(totalFen === collection.amountFen, `collection ${collection.requestNo} froze ${collection.amountFen} fen for installments of ${totalFen}`);
  return em.transactional(async (tx) => {
    const claimed = await tx.nativeUpdate(Collection, { requestNo: collection.requestNo, status: 'SENT' }, { status: 'FROZEN', answeredAt: now });
    if (claimed === 0) return { installmentsRepaid: 0, loanSettled: false };
    const loan = await tx.findOneOrFail(RepaymentLoan, { id: collection.loanId });
    const shares = await tx.find(LoanShare, { loanId: loan.id });
    for (const row of rows) await repayInstallment(tx, loan, shares, collection.requestNo, row, now);
    return { installmentsRepaid: rows.length, loanSettled: await settleLoanIfRepaid(tx, loan, now) };
  });
}

async function repayInstallment(tx: EntityManager, loan: RepaymentLoan, shares: LoanShare[], requestNo: string, row: RepaidRow, now: Date): Promise<void> {
  if (row.rewritten) await rewriteInstallment(tx, loan, shares, row);
  const [from, to] = INSTALLMENT_TRANSITIONS.REPAY;
  const moved = await tx.nativeUpdate(Installment, { id: row.installmentId, loanId: loan.id, status: { $in: [...from] } }, {
    status: to, repaidAt: now, penaltyFen: row.penaltyFen, collectionRequestNo: requestNo,
  });
  assert(moved === 1, `installment ${row.installmentId} of loan ${loan.id} must be unpaid to be repaid`);
  const installment = await tx.findOneOrFail(Installment, { id: row.installmentId }, { refresh: true });
  const receivables = await tx.find(Receivable, { installmentId: installment.id }, { orderBy: { bidId: 'asc' } });
  const weightByBid = new Map(shares.map((share) => [share.bidId, share.amountFen]));
  const settlement = settleInstallment(installment, receivables.map((receivable) => {
    const bidAmountFen = weightByBid.get(receivable.bidId);
    assert(bidAmountFen !== undefined, `receivable ${receivable.id} names bid ${receivable.bidId}, not one of loan ${loan.id}'s`);
    return { receivableId: receivable.id, investorId: receivable.investorId, principalFen: receivable.principalFen, interestFen: receivable.interestFen, bidAmountFen };
  }));
  if (row.penaltyFen === 0n) {
    await tx.nativeUpdate(Receivable, { installmentId: installment.id }, { status: 'RECEIVED' });
  } else {
    for (const payment of settlement.payments) {
      await tx.nativeUpdate(Receivable, { id: payment.receivableId }, { status: 'RECEIVED', penaltyFen: payment.penaltyFen });
    }
  }
  publishEvent(tx, InstallmentRepaid, loan.id, {
    installmentId: installment.id, loanId: loan.id, borrowerId: loan.borrowerId, period: installment.period,
    amountFen: (installment.principalFen + installment.interestFen).toString(), penaltyFen: installment.penaltyFen.toString(),
    repaidAt: now.toISOString(), collectionRequestNo: requestNo,
  }, now);
}

/** An early repayment's new amounts for an installment, and its receivables split again to match. */
async function rewriteInstallment(tx: EntityManager, loan: RepaymentLoan, shares: LoanShare[], row: RepaidRow): Promise<void> {
  await tx.nativeUpdate(Installment, { id: row.installmentId }, { principalFen: row.principalFen, interestFen: row.interestFen });
  const split = splitInstallment(
    { principalFen: row.principalFen, interestFen: row.interestFen },
    shares.map((share) => ({ bidId: share.bidId, amountFen: share.amountFen })),
    loan.annualRateMicros,
    loan.investorRateMicros,
  );
  for (const share of split.shares) {
    const updated = await tx.nativeUpdate(Receivable, { installmentId: row.installmentId, bidId: share.bidId }, { principalFen: share.principalFen, interestFen: share.interestFen });
    assert(updated === 1, `installment ${row.installmentId} has one receivable for bid ${share.bidId}`);
  }
}

async function settleLoanIfRepaid(tx: EntityManager, loan: RepaymentLoan, now: Date): Promise<boolean> {
  if ((await tx.count(Installment, { loanId: loan.id, status: { $in: [...UNPAID_STATUSES] } })) > 0) return false;
  const moved = await tx.nativeUpdate(RepaymentLoan, { id: loan.id, status: 'REPAYING' }, { status: 'SETTLED', settledAt: now });
  if (moved === 0) return false;
  publishEvent(tx, LoanSettled, loan.id, { loanId: loan.id, settledAt: now.toISOString() }, now);
  return true;
}
