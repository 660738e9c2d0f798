import {
  assert, buildSchedule, isId, isRepaymentMethod, LOAN_BIDS_MAX, RATE_MAX_MICROS, splitSchedule, utcDateOf,
  type EntityManager, type EventSubscription, type JsonObject, type JsonValue, type RepaymentMethod,
} from '@wanxin/platform';
import { Installment } from '../entities/installment.entity';
import { LoanShare } from '../entities/loan-share.entity';
import { Receivable } from '../entities/receivable.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { currentBusinessDate } from '../jobs/daily-run';

/** Loans run 3–36 months (DAILY too); a bound on the schedule one event may create. */
export const DISBURSED_TERM_MONTHS_MAX = 36;
/** Rows per insert statement. */
const INSERT_CHUNK_MAX = 1000;
const FEN_PATTERN = /^[1-9][0-9]{0,14}$/;
const LOAN_NO_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export interface DisbursedBid {
  bidId: string;
  investorId: string;
  amountFen: bigint;
}

export interface LoanDisbursed {
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

function decodeBid(value: JsonValue): DisbursedBid | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { bidId, investorId, amountFen } = value;
  if (typeof bidId !== 'string' || !isId(bidId) || typeof investorId !== 'string' || !isId(investorId)) return null;
  return typeof amountFen === 'string' && FEN_PATTERN.test(amountFen) ? { bidId, investorId, amountFen: BigInt(amountFen) } : null;
}

const isRate = (value: JsonValue): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= RATE_MAX_MICROS;

/** Reads loans' payload strictly: ids, positive fen strings, rates, a 3–36 month term, distinct bids adding up to the amount. */
export function decodeLoanDisbursed(payload: JsonObject): LoanDisbursed | null {
  const { loanId, loanNo, borrowerId, amountFen, annualRateMicros, investorRateMicros, termMonths, repaymentMethod, disbursedAt, bids } = payload;
  if (typeof loanId !== 'string' || !isId(loanId) || typeof borrowerId !== 'string' || !isId(borrowerId)) return null;
  if (typeof loanNo !== 'string' || !LOAN_NO_PATTERN.test(loanNo) || typeof amountFen !== 'string' || !FEN_PATTERN.test(amountFen)) return null;
  if (!isRate(annualRateMicros) || !isRate(investorRateMicros) || investorRateMicros > annualRateMicros) return null;
  if (typeof termMonths !== 'number' || !Number.isInteger(termMonths) || termMonths < 1 || termMonths > DISBURSED_TERM_MONTHS_MAX) return null;
  if (!isRepaymentMethod(repaymentMethod) || typeof disbursedAt !== 'string' || Number.isNaN(Date.parse(disbursedAt))) return null;
  if (!Array.isArray(bids) || bids.length === 0 || bids.length > LOAN_BIDS_MAX) return null;
  const decoded = bids.map(decodeBid);
  if (decoded.some((bid) => bid === null)) return null;
  const funded = decoded as DisbursedBid[];
  if (new Set(funded.map((bid) => bid.bidId)).size !== funded.length) return null;
  if (funded.reduce((sum, bid) => sum + bid.amountFen, 0n) !== BigInt(amountFen)) return null;
  return {
    loanId, loanNo, borrowerId, amountFen: BigInt(amountFen), annualRateMicros, investorRateMicros, termMonths, repaymentMethod, disbursedAt: new Date(disbursedAt), bids: funded,
  };
}

/**
 * `loans.loan.disbursed` → the loan's schedule (one installment per period) and every investor's
 * receivables, split cumulatively by largest remainder (each investor's principal adds up to the bid),
 * created once: the loan's id is the business key behind the inbox.
 * The schedule starts on the payout's date, or on the business date when that is later.
 */
export const scheduleOnLoanDisbursed: EventSubscription<LoanDisbursed> = {
  name: 'schedule-on-loan-disbursed',
  type: 'loans.loan.disbursed',
  version: 1,
  decode: decodeLoanDisbursed,
  async handle(em, loan) {
    if ((await em.count(RepaymentLoan, { id: loan.loanId })) > 0) return;
    const payoutDate = utcDateOf(loan.disbursedAt);
    const businessDate = await currentBusinessDate(em);
    const startDate = businessDate > payoutDate ? businessDate : payoutDate;
    await em.insert(em.create(RepaymentLoan, {
      id: loan.loanId, loanNo: loan.loanNo, borrowerId: loan.borrowerId, amountFen: loan.amountFen, annualRateMicros: loan.annualRateMicros,
      investorRateMicros: loan.investorRateMicros, termMonths: loan.termMonths, repaymentMethod: loan.repaymentMethod, startDate, status: 'REPAYING',
    }, { persist: false }));
    await insertChunks(em, LoanShare, loan.bids.map((bid) => em.create(LoanShare, { ...bid, loanId: loan.loanId }, { persist: false })));
    await createSchedule(em, loan, startDate);
  },
};

async function createSchedule(em: EntityManager, loan: LoanDisbursed, startDate: string): Promise<void> {
  const rows = buildSchedule({ principalFen: loan.amountFen, annualRateMicros: loan.annualRateMicros, termMonths: loan.termMonths, method: loan.repaymentMethod, startDate });
  const installments: Installment[] = [];
  const receivables: Receivable[] = [];
  const investorByBid = new Map(loan.bids.map((bid) => [bid.bidId, bid.investorId]));
  const splits = splitSchedule(rows, {
    bids: loan.bids, borrowerRateMicros: loan.annualRateMicros, investorRateMicros: loan.investorRateMicros,
  });
  for (const [index, row] of rows.entries()) {
    const installment = em.create(Installment, {
      loanId: loan.loanId, period: row.period, dueDate: row.dueDate, principalFen: row.principalFen, interestFen: row.interestFen, status: 'PENDING',
    }, { persist: false });
    installments.push(installment);
    for (const share of splits[index].shares) {
      receivables.push(em.create(Receivable, {
        installmentId: installment.id, loanId: loan.loanId, bidId: share.bidId, investorId: investorByBid.get(share.bidId)!,
        principalFen: share.principalFen, interestFen: share.interestFen, status: 'PENDING',
      }, { persist: false }));
    }
  }
  assert(receivables.length === rows.length * loan.bids.length, 'one receivable per installment and bid');
  await insertChunks(em, Installment, installments);
  await insertChunks(em, Receivable, receivables);
}

async function insertChunks<T extends object>(em: EntityManager, entity: new () => T, rows: T[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_MAX) await em.insertMany(entity, rows.slice(start, start + INSERT_CHUNK_MAX));
}
