import {
  assert,
  runSql,
  runSqlInChunks,
  selectRows,
  selectRowsInChunks,
  sqlInteger,
  sqlPlaceholders,
  type EntityManager,
} from '@wanxin/platform';
import type { BankProjectStatus } from '@wanxin/platform/bank-protocol';
import type { AccountBalances } from './domain/ledger';

/**
 * The bank's hand-written statements (the style is raw-sql.ts's in the platform): its hot paths, where
 * the ORM's query builder costs more than the statement (services/ledger-store.ts and project-store.ts
 * say what the conditions guarantee). Rows come back as the driver returns them.
 */

export interface AccountRow {
  id: string;
  ref: string;
  code: string;
  debits_posted_fen: unknown;
  credits_posted_fen: unknown;
  debits_pending_fen: unknown;
  credits_pending_fen: unknown;
  posting_seq: unknown;
}

const ACCOUNT_COLUMNS =
  'id, ref, code, debits_posted_fen, credits_posted_fen, debits_pending_fen, credits_pending_fen, posting_seq';

/** The accounts `ids` that exist, in no particular order. */
export function selectAccounts(tx: EntityManager, ids: readonly string[]): Promise<AccountRow[]> {
  return selectRowsInChunks<AccountRow, string>(tx, {
    values: ids,
    sqlOf: (placeholders) => `select ${ACCOUNT_COLUMNS} from bank_accounts where id in (${placeholders})`,
  });
}

export async function selectAccountByRef(tx: EntityManager, ref: string): Promise<AccountRow | null> {
  const rows = await selectRows<AccountRow>(tx, `select ${ACCOUNT_COLUMNS} from bank_accounts where ref = ?`, [ref]);
  return rows[0] ?? null;
}

/** Overdraw guard: the row's available balance after the change, as SQL over the row before it. */
function availableAfterSql(delta: Record<keyof AccountBalances, string>): string {
  return (
    `(credits_posted_fen + ${delta.creditsPostedFen}) - (debits_posted_fen + ${delta.debitsPostedFen}) ` +
    `- (debits_pending_fen + ${delta.debitsPendingFen})`
  );
}

/**
 * Adds `delta` to one account's totals in one atomic statement, as one posting; with `guarded`, only if its
 * available balance stays at or above zero. The rows changed (0 or 1).
 */
export async function addToAccount(
  tx: EntityManager,
  accountId: string,
  delta: AccountBalances,
  guarded: boolean,
): Promise<number> {
  const amounts = {
    debitsPostedFen: sqlInteger(delta.debitsPostedFen),
    creditsPostedFen: sqlInteger(delta.creditsPostedFen),
    debitsPendingFen: sqlInteger(delta.debitsPendingFen),
    creditsPendingFen: sqlInteger(delta.creditsPendingFen),
  };
  // The WHERE clause sees the row before this update, so the new totals are written out in full.
  const noOverdraw = guarded ? ` and ${availableAfterSql(amounts)} >= 0` : '';
  const sql =
    `update bank_accounts set debits_posted_fen = debits_posted_fen + ${amounts.debitsPostedFen}, ` +
    `credits_posted_fen = credits_posted_fen + ${amounts.creditsPostedFen}, ` +
    `debits_pending_fen = debits_pending_fen + ${amounts.debitsPendingFen}, ` +
    `credits_pending_fen = credits_pending_fen + ${amounts.creditsPendingFen}, posting_seq = posting_seq + 1 ` +
    `where id = ?${noOverdraw}`;
  const affected = await runSql(tx, sql, [accountId]);
  assert(affected === 0 || affected === 1, `account update touched ${affected} rows`);
  return affected;
}

const BALANCE_COLUMNS = [
  ['debits_posted_fen', 'debitsPostedFen'],
  ['credits_posted_fen', 'creditsPostedFen'],
  ['debits_pending_fen', 'debitsPendingFen'],
  ['credits_pending_fen', 'creditsPendingFen'],
] as const;

/** One account's change in addToAccounts: the sum of `postings` requests' changes to it. */
export interface AccountChange {
  accountId: string;
  delta: AccountBalances;
  postings: number;
}

/**
 * Adds each account's own amounts to its totals (and its postings to its count), many accounts in one
 * UPDATE per chunk (rows locked in id order): a repayment pays five investors, the platform and the escrow
 * in one statement instead of seven. With a guard, a row is changed only if its available balance stays at
 * or above zero (the WHERE clause sees the row before the update) or it is one of `overdrawable`: the count
 * of rows changed then says whether every account could take its change.
 */
export function addToAccounts(
  tx: EntityManager,
  changes: readonly AccountChange[],
  guard: { overdrawable: ReadonlySet<string> } | null,
): Promise<number> {
  const caseOf = (chunk: AccountChange[], valueOf: (change: AccountChange) => bigint) =>
    `case id ${chunk.map((change) => `when ? then ${sqlInteger(valueOf(change))}`).join(' ')} end`;
  const amountsOf = (chunk: AccountChange[]) => {
    const amountOf = (field: keyof AccountBalances) => caseOf(chunk, (change) => change.delta[field]);
    return {
      debitsPostedFen: amountOf('debitsPostedFen'),
      creditsPostedFen: amountOf('creditsPostedFen'),
      debitsPendingFen: amountOf('debitsPendingFen'),
      creditsPendingFen: amountOf('creditsPendingFen'),
    };
  };
  const exemptOf = (chunk: AccountChange[]) =>
    guard === null ? [] : chunk.map(({ accountId }) => accountId).filter((id) => guard.overdrawable.has(id));
  return runSqlInChunks(tx, {
    values: changes,
    sqlOf: (placeholders, chunk) => {
      const amounts = amountsOf(chunk);
      const sets = BALANCE_COLUMNS.map(([column, field]) => `${column} = ${column} + ${amounts[field]}`);
      sets.push(`posting_seq = posting_seq + ${caseOf(chunk, (change) => BigInt(change.postings))}`);
      let where = `id in (${placeholders})`;
      if (guard !== null) {
        const exempt = exemptOf(chunk);
        const staysCovered = `${availableAfterSql(amounts)} >= 0`;
        where +=
          exempt.length === 0
            ? ` and ${staysCovered}`
            : ` and (id in (${sqlPlaceholders(exempt.length)}) or ${staysCovered})`;
      }
      return `update bank_accounts set ${sets.join(', ')} where ${where}`;
    },
    paramsOf: (chunk) => {
      const ids = chunk.map(({ accountId }) => accountId);
      // The sets' cases (four balances, the postings), the id list, then the guard's exemptions and its three cases.
      const params = [...BALANCE_COLUMNS.flatMap(() => ids), ...ids, ...ids];
      if (guard !== null) params.push(...exemptOf(chunk), ...ids, ...ids, ...ids);
      return params;
    },
  });
}

export interface TransferRow {
  id: string;
  kind: string;
  debit_account_id: string;
  credit_account_id: string;
  amount_fen: unknown;
}

/** The transfers `ids` that exist. */
export function selectTransfers(tx: EntityManager, ids: readonly string[]): Promise<TransferRow[]> {
  return selectRowsInChunks<TransferRow, string>(tx, {
    values: ids,
    sqlOf: (placeholders) =>
      'select id, kind, debit_account_id, credit_account_id, amount_fen from bank_transfers ' +
      `where id in (${placeholders})`,
  });
}

/**
 * The transfers `ids` that exist, each with the id of the settlement naming it (null when none): one read
 * per chunk, the settlement's unique pending_id the index it uses.
 */
export function selectTransfersWithSettlement(
  tx: EntityManager,
  ids: readonly string[],
): Promise<(TransferRow & { settlement_id: string | null })[]> {
  return selectRowsInChunks<TransferRow & { settlement_id: string | null }, string>(tx, {
    values: ids,
    sqlOf: (placeholders) =>
      'select t.id, t.kind, t.debit_account_id, t.credit_account_id, t.amount_fen, s.id as settlement_id ' +
      `from bank_transfers t left join bank_transfers s on s.pending_id = t.id where t.id in (${placeholders})`,
  });
}

/** The transfer ids of project `projectNo`'s TENDER freezes no settlement names yet, in id order, at most `limit`. */
export async function selectOpenTenderFreezeIds(
  tx: EntityManager,
  projectNo: string,
  limit: number,
): Promise<string[]> {
  assert(Number.isInteger(limit) && limit > 0, `a bounded read, got limit ${limit}`);
  const rows = await selectRows<{ transfer_id: string }>(
    tx,
    "select f.transfer_id from bank_freezes f where f.project_no = ? and f.biz_type = 'TENDER' " +
      'and not exists (select 1 from bank_transfers t where t.pending_id = f.transfer_id) ' +
      `order by f.transfer_id limit ${limit}`,
    [projectNo],
  );
  return rows.map((row) => row.transfer_id);
}

/**
 * Bumps a project's version (and sets its status to `to`, when given), only while its status is one of
 * `allowed`: the row lock it takes lasts until commit. The rows changed (0 or 1).
 */
export async function touchProject(
  tx: EntityManager,
  project: { id: string } | { projectNo: string },
  allowed: readonly BankProjectStatus[],
  to: BankProjectStatus | undefined,
): Promise<number> {
  const [keyColumn, key] = 'id' in project ? ['id', project.id] : ['project_no', project.projectNo];
  const affected = await runSql(
    tx,
    `update bank_projects set ${to === undefined ? '' : 'status = ?, '}version = version + 1, updated_at = ? ` +
      `where ${keyColumn} = ? and status in (${sqlPlaceholders(allowed.length)})`,
    [...(to === undefined ? [] : [to]), new Date(), key, ...allowed],
  );
  assert(affected === 0 || affected === 1, `project update touched ${affected} rows`);
  return affected;
}

/**
 * Bumps the versions of the projects `projectNos` (whatever their status), taking their row locks in the
 * list's order, one UPDATE per chunk; then reads their statuses under those locks. Projects that do not
 * exist are absent from the answer.
 */
export async function touchProjects(
  tx: EntityManager,
  projectNos: readonly string[],
): Promise<{ project_no: string; status: BankProjectStatus }[]> {
  await runSqlInChunks(tx, {
    values: projectNos,
    sqlOf: (placeholders) =>
      `update bank_projects set version = version + 1, updated_at = ? where project_no in (${placeholders})`,
    paramsOf: (chunk) => [new Date(), ...chunk],
  });
  return selectRowsInChunks<{ project_no: string; status: BankProjectStatus }, string>(tx, {
    values: projectNos,
    sqlOf: (placeholders) => `select project_no, status from bank_projects where project_no in (${placeholders})`,
  });
}
