import {
  assert,
  buildSchedule,
  inOwnTransaction,
  splitSchedule,
  subscribeTo,
  utcDateOf,
  type EntityManager,
  type RepaymentMethod,
} from '@wanxin/platform';
import { LoanDisbursed, type LoanDisbursedPayload } from '@wanxin/platform/contracts';
import { Installment } from '../entities/installment.entity';
import { LoanShare } from '../entities/loan-share.entity';
import { Receivable } from '../entities/receivable.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { currentBusinessDate } from '../operations/business-date';

/** Rows per insert statement. */
const INSERT_CHUNK_MAX = 1000;

export interface DisbursedBid {
  bidId: string;
  investorId: string;
  amountFen: bigint;
}

/** The payload in the units the schedule is built in. */
interface DisbursedLoan {
  loanId: string;
  loanNo: string;
  borrowerId: string;
  amountFen: bigint;
  annualRateMicros: number;
  investorRateMicros: number;
  termMonths: number;
  repaymentMethod: RepaymentMethod;
  disbursedAt: Date;
  bids: DisbursedBid[];
}

/** The contract has checked the payload (ids, fen strings, rates, term, Σ bids = amount): only units change here. */
function disbursedLoan(payload: LoanDisbursedPayload): DisbursedLoan {
  return {
    ...payload,
    amountFen: BigInt(payload.amountFen),
    disbursedAt: new Date(payload.disbursedAt),
    bids: payload.bids.map((bid) => ({ ...bid, amountFen: BigInt(bid.amountFen) })),
  };
}

/**
 * `loans.loan.disbursed` → the loan's schedule (one installment per period) and every investor's
 * receivables, split cumulatively by largest remainder (each investor's principal adds up to the bid),
 * created once: the loan's id is the business key behind the inbox.
 * The schedule starts on the payout's date, or on the business date when that is later.
 * In a transaction of its own: one loan's schedule is already thousands of rows (LOAN_BIDS_MAX investors ×
 * the term), and a batch of them would hold their locks and undo log for tens of thousands.
 */
export const scheduleOnLoanDisbursed = inOwnTransaction(
  subscribeTo(LoanDisbursed, 'schedule-on-loan-disbursed', async (em, payload) => {
    const loan = disbursedLoan(payload);
    if ((await em.count(RepaymentLoan, { id: loan.loanId })) > 0) return;
    const payoutDate = utcDateOf(loan.disbursedAt);
    const businessDate = await currentBusinessDate(em);
    const startDate = businessDate > payoutDate ? businessDate : payoutDate;
    await em.insert(
      em.create(
        RepaymentLoan,
        {
          id: loan.loanId,
          loanNo: loan.loanNo,
          borrowerId: loan.borrowerId,
          amountFen: loan.amountFen,
          annualRateMicros: loan.annualRateMicros,
          investorRateMicros: loan.investorRateMicros,
          termMonths: loan.termMonths,
          repaymentMethod: loan.repaymentMethod,
          startDate,
          status: 'REPAYING',
        },
        { persist: false },
      ),
    );
    await insertChunks(
      em,
      LoanShare,
      loan.bids.map((bid) => em.create(LoanShare, { ...bid, loanId: loan.loanId }, { persist: false })),
    );
    await createSchedule(em, loan, startDate);
  }),
);

async function createSchedule(em: EntityManager, loan: DisbursedLoan, startDate: string): Promise<void> {
  const rows = buildSchedule({
    principalFen: loan.amountFen,
    annualRateMicros: loan.annualRateMicros,
    termMonths: loan.termMonths,
    method: loan.repaymentMethod,
    startDate,
  });
  const installments: Installment[] = [];
  const receivables: Receivable[] = [];
  const investorByBid = new Map(loan.bids.map((bid) => [bid.bidId, bid.investorId]));
  const splits = splitSchedule(rows, {
    bids: loan.bids,
    borrowerRateMicros: loan.annualRateMicros,
    investorRateMicros: loan.investorRateMicros,
  });
  for (const [index, row] of rows.entries()) {
    const installment = em.create(
      Installment,
      {
        loanId: loan.loanId,
        period: row.period,
        dueDate: row.dueDate,
        principalFen: row.principalFen,
        interestFen: row.interestFen,
        status: 'PENDING',
      },
      { persist: false },
    );
    installments.push(installment);
    for (const share of splits[index].shares) {
      receivables.push(
        em.create(
          Receivable,
          {
            installmentId: installment.id,
            loanId: loan.loanId,
            bidId: share.bidId,
            investorId: investorByBid.get(share.bidId)!,
            principalFen: share.principalFen,
            interestFen: share.interestFen,
            status: 'PENDING',
          },
          { persist: false },
        ),
      );
    }
  }
  assert(receivables.length === rows.length * loan.bids.length, 'one receivable per installment and bid');
  await insertChunks(em, Installment, installments);
  await insertChunks(em, Receivable, receivables);
}

async function insertChunks<T extends object>(em: EntityManager, entity: new () => T, rows: T[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_MAX)
    await em.insertMany(entity, rows.slice(start, start + INSERT_CHUNK_MAX));
}
