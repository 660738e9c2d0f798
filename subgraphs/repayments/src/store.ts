import { runSql, runSqlInChunks, selectRows, sqlInteger, sqlPlaceholders, type EntityManager } from '@wanxin/platform';
import { raw, type EntityDictionary } from '@mikro-orm/core';
import type { BorrowingSummary, ReceivableSums } from './domain/personal-center';
import { INSTALLMENT_STATUSES } from './domain/installment-status';
import type { ReceivableStatus } from './domain/receivable-status';
import { Collection } from './entities/collection.entity';
import { Installment } from './entities/installment.entity';

/**
 * The repayments subgraph's hand-written statements (the style is raw-sql.ts's in the platform);
 * everything else goes through the ORM.
 */

/**
 * Moves the SENT collections among `frozen` to FROZEN, answered at `answeredAt`, each with its confirm
 * requestNo, in one statement; the rows moved. The caller holds their row locks.
 */
export function markCollectionsFrozen(
  em: EntityManager,
  frozen: readonly { requestNo: string; confirmRequestNo: string }[],
  answeredAt: Date,
): Promise<number> {
  const confirmRequestNo = raw(
    `case request_no ${frozen.map(() => 'when ? then ?').join(' ')} end`,
    frozen.flatMap((collection) => [collection.requestNo, collection.confirmRequestNo]),
  );
  return em.nativeUpdate(
    Collection,
    { requestNo: { $in: frozen.map(({ requestNo }) => requestNo) }, status: 'SENT' },
    { status: 'FROZEN', answeredAt, confirmRequestNo },
  );
}

/**
 * Closes the OPEN collection cases of loans with no OVERDUE installment left — of `loanIds` only, or of
 * every loan when null — on business date `day`; the cases closed.
 */
export function closeCasesOfCurrentLoans(
  em: EntityManager,
  loanIds: readonly string[] | null,
  day: string,
): Promise<number> {
  const ofLoans = loanIds === null ? '' : `and open_loan_id in (${sqlPlaceholders(loanIds.length)}) `;
  return runSql(
    em,
    "update collection_cases set status = 'CLOSED', open_loan_id = null, closed_on = ?, updated_on = ? " +
      `where status = 'OPEN' ${ofLoans}and not exists (select 1 from installments ` +
      "where installments.loan_id = collection_cases.loan_id and installments.status = 'OVERDUE')",
    [day, day, ...(loanIds ?? [])],
  );
}

/** The ids of loans with an OVERDUE installment after `afterLoanId`, in id order, at most `limit`. */
export async function overdueLoanIdsAfter(em: EntityManager, afterLoanId: string, limit: number): Promise<string[]> {
  const rows = await selectRows<{ loan_id: string }>(
    em,
    "select distinct loan_id from installments where status = 'OVERDUE' and loan_id > ? order by loan_id limit ?",
    [afterLoanId, limit],
  );
  return rows.map((row) => row.loan_id);
}

/** An installment's overdue figures as of a business day. */
export interface OverdueFigures {
  id: string;
  overdueDays: number;
  penaltyFen: bigint;
}

/**
 * Sets installments OVERDUE with each one's overdue days and penalty: one statement per SQL_LIST_MAX rows, a
 * `case` per column since the figures differ row by row. The caller holds them locked and unpaid.
 */
export function setInstallmentsOverdue(
  em: EntityManager,
  rows: readonly OverdueFigures[],
  businessDate: string,
): Promise<number> {
  const cases = (chunk: OverdueFigures[], figure: (row: OverdueFigures) => bigint) =>
    `case id ${chunk.map((row) => `when ? then ${sqlInteger(figure(row))}`).join(' ')} end`;
  return runSqlInChunks(em, {
    values: rows,
    sqlOf: (placeholders, chunk) =>
      "update installments set status = 'OVERDUE', " +
      `overdue_days = ${cases(chunk, (row) => BigInt(row.overdueDays))}, ` +
      `penalty_fen = ${cases(chunk, (row) => row.penaltyFen)}, ` +
      // The day it first fell overdue stays: the statistics count it on that day alone.
      `overdue_business_date = coalesce(overdue_business_date, ?) where id in (${placeholders})`,
    paramsOf: (chunk) => {
      const ids = chunk.map((row) => row.id);
      return [...ids, ...ids, businessDate, ...ids];
    },
  });
}

/** A sum or count as the driver returns it (a number, a decimal string, null for no rows), as an integer. */
function integerOf(value: string | number | bigint | null | undefined): bigint {
  return BigInt(String(value ?? 0));
}

/** One aggregate statement over the investor's receivables (found by their investor index), however many. */
export async function receivableSums(em: EntityManager, investorId: string): Promise<ReceivableSums> {
  const sumWhen = (status: ReceivableStatus, column: string) =>
    `coalesce(sum(case when status = '${status}' then ${column} else 0 end), 0)`;
  const [row] = await selectRows<Record<string, string | number | null>>(
    em,
    `select ${sumWhen('RECEIVED', 'principal_fen')} as principal_received, ` +
      `${sumWhen('PENDING', 'principal_fen')} as outstanding_principal, ` +
      `${sumWhen('RECEIVED', 'interest_fen')} as interest_received, ` +
      `${sumWhen('PENDING', 'interest_fen')} as interest_expected, ` +
      `${sumWhen('RECEIVED', 'penalty_fen')} as penalty_received, ` +
      `${sumWhen('SETTLED_EARLY', 'principal_fen + interest_fen + penalty_fen')} as settled_early, ` +
      "count(distinct case when status = 'PENDING' and principal_fen > 0 then bid_id end) as holdings " +
      'from receivables where investor_id = ?',
    [investorId],
  );
  return {
    principalReceivedFen: integerOf(row.principal_received),
    outstandingPrincipalFen: integerOf(row.outstanding_principal),
    interestReceivedFen: integerOf(row.interest_received),
    interestExpectedFen: integerOf(row.interest_expected),
    penaltyReceivedFen: integerOf(row.penalty_received),
    holdings: Number(row.holdings ?? 0),
    settledEarlyFen: integerOf(row.settled_early),
  };
}

/** The unpaid installments of a borrower's REPAYING loans: by repayment_loans' borrower index, then (loan, period). */
const BORROWER_UNPAID_INSTALLMENTS =
  'from repayment_loans l join installments i on i.loan_id = l.id ' +
  `where l.borrower_id = ? and l.status = 'REPAYING' and i.status in ('PENDING', 'OVERDUE')`;

/** One aggregate statement over the borrower's unpaid installments. */
export async function borrowingSums(em: EntityManager, borrowerId: string): Promise<BorrowingSummary> {
  const overdue = (column: string) => `coalesce(sum(case when i.status = 'OVERDUE' then ${column} else 0 end), 0)`;
  const [row] = await selectRows<Record<string, string | number | null>>(
    em,
    'select coalesce(sum(i.principal_fen), 0) as outstanding_principal, ' +
      `${overdue('i.principal_fen + i.interest_fen + i.penalty_fen')} as overdue_amount, ` +
      `${overdue('i.penalty_fen')} as overdue_penalty, ${overdue('1')} as overdue_installments, ` +
      `count(distinct l.id) as loans_repaying ${BORROWER_UNPAID_INSTALLMENTS}`,
    [borrowerId],
  );
  return {
    outstandingPrincipalFen: integerOf(row.outstanding_principal),
    overdueAmountFen: integerOf(row.overdue_amount),
    overduePenaltyFen: integerOf(row.overdue_penalty),
    overdueInstallments: Number(row.overdue_installments ?? 0),
    loansRepaying: Number(row.loans_repaying ?? 0),
  };
}

/** The borrower's unpaid installment due first (ties: the earlier period, then the loan id), or null. */
export async function nextDueInstallment(em: EntityManager, borrowerId: string): Promise<Installment | null> {
  const rows = await selectRows<EntityDictionary<Installment>>(
    em,
    `select i.* ${BORROWER_UNPAID_INSTALLMENTS} order by i.due_date, i.period, i.loan_id limit 1`,
    [borrowerId],
  );
  return rows.length === 0 ? null : em.map(Installment, rows[0]);
}

/**
 * The installments due on `date`, whatever their status now, and their principal + interest (through the
 * status and due-date index: one range per status).
 */
export async function installmentsDueOn(
  em: EntityManager,
  date: string,
): Promise<{ installmentsDue: bigint; amountDueFen: bigint }> {
  const [row] = await selectRows<{ due: string | number | null; installments: string | number | null }>(
    em,
    'select count(*) as installments, coalesce(sum(principal_fen + interest_fen), 0) as due from installments ' +
      `where status in (${sqlPlaceholders(INSTALLMENT_STATUSES.length)}) and due_date = ?`,
    [...INSTALLMENT_STATUSES, date],
  );
  return { installmentsDue: integerOf(row.installments), amountDueFen: integerOf(row.due) };
}

/** The bids `investorId` holds now (their loan share) of REPAYING loans: by the shares' investor index. */
const HOLDINGS =
  'from loan_shares s join repayment_loans l on l.id = s.loan_id ' +
  "where s.investor_id = ? and l.status = 'REPAYING'";

/**
 * One page of the investor's holdings, newest bid first (bid ids are time-ordered): up to `limit` bid ids
 * after the cursor, and the list's counts, in two statements.
 */
export async function holdingsPage(
  em: EntityManager,
  investorId: string,
  after: string | null,
  limit: number,
): Promise<{ bidIds: string[]; totalCount: number; precedingCount: number }> {
  const rows = await selectRows<{ bid_id: string }>(
    em,
    `select s.bid_id ${HOLDINGS}${after === null ? '' : ' and s.bid_id < ?'} order by s.bid_id desc limit ?`,
    [investorId, ...(after === null ? [] : [after]), limit],
  );
  const [counts] = await selectRows<{ total: string | number | null; preceding: string | number | null }>(
    em,
    `select count(*) as total, coalesce(sum(case when s.bid_id >= ? then 1 else 0 end), 0) as preceding ${HOLDINGS}`,
    [after ?? '', investorId],
  );
  return {
    bidIds: rows.map((row) => row.bid_id),
    totalCount: Number(integerOf(counts.total)),
    precedingCount: after === null ? 0 : Number(integerOf(counts.preceding)),
  };
}
