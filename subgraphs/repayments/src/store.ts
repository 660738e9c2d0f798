import { runSql, runSqlInChunks, selectRows, sqlInteger, sqlPlaceholders, type EntityManager } from '@wanxin/platform';
import type { CollectionStatus } from './entities/collection.entity';

/**
 * The repayments subgraph's hand-written statements (the style is raw-sql.ts's in the platform);
 * everything else goes through the ORM.
 */

/**
 * Fixes the confirm requestNo of collection `requestNo` while it has none and is in one of `statuses`: one
 * conditional update (once per installment of a due day); the rows set (0 or 1).
 */
export function setConfirmRequestNo(
  em: EntityManager,
  requestNo: string,
  confirmRequestNo: string,
  statuses: readonly CollectionStatus[],
): Promise<number> {
  return runSql(
    em,
    'update collections set confirm_request_no = ? where request_no = ? and confirm_request_no is null ' +
      `and status in (${sqlPlaceholders(statuses.length)})`,
    [confirmRequestNo, requestNo, ...statuses],
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
export function setInstallmentsOverdue(em: EntityManager, rows: readonly OverdueFigures[]): Promise<number> {
  const cases = (chunk: OverdueFigures[], figure: (row: OverdueFigures) => bigint) =>
    `case id ${chunk.map((row) => `when ? then ${sqlInteger(figure(row))}`).join(' ')} end`;
  return runSqlInChunks(em, {
    values: rows,
    sqlOf: (placeholders, chunk) =>
      "update installments set status = 'OVERDUE', " +
      `overdue_days = ${cases(chunk, (row) => BigInt(row.overdueDays))}, ` +
      `penalty_fen = ${cases(chunk, (row) => row.penaltyFen)} where id in (${placeholders})`,
    paramsOf: (chunk) => {
      const ids = chunk.map((row) => row.id);
      return [...ids, ...ids, ...ids];
    },
  });
}
