import { assert, forkEntityManager, type Database, type EntityManager } from '@wanxin/platform';
import {
  availableFen,
  exceedsCredits,
  ledgerIsBalanced,
  replayTransfers,
  ZERO_BALANCES,
  type AccountBalances,
  type LedgerAccount,
  type TransferKind,
  type TransferRecord,
} from '../domain/ledger';
import { BankAccount } from '../entities/bank-account.entity';
import { BankFreeze } from '../entities/bank-freeze.entity';
import { OutgoingNotification, type NotificationStatus } from '../entities/outgoing-notification.entity';
import { BankTransfer } from '../entities/bank-transfer.entity';

/**
 * The ledger's self-check, run by tests at the end of every scenario and offered on GET /ledger/check:
 * every stored account total equals a replay of all transfers; Σ debits = Σ credits, posted and pending;
 * no account that may not go below zero does; every settlement names a freeze, every freeze is a
 * PENDING transfer of its amount.
 */
export interface LedgerCheck {
  ok: boolean;
  /** The first problems found (at most PROBLEMS_MAX). */
  problems: string[];
  accountCount: number;
  transferCount: number;
  openFreezeCount: number;
  notifications: Record<NotificationStatus, number>;
  /** What the platform has earned at the bank (fees and commissions), integer fen: its account's posted balance. */
  platformFeeFen: string;
}

/** The check reads the whole ledger into memory: a simulator's, bounded here. */
const ROWS_MAX = 2_000_000;
const PAGE_SIZE = 10_000;
const PROBLEMS_MAX = 100;

/** Reads a whole table in pages of PAGE_SIZE, keyset-paginated by `keyOf`. */
async function allRows<T>(
  em: EntityManager,
  fetchAfter: (after: string | null) => Promise<T[]>,
  keyOf: (row: T) => string,
): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (let page = 0; page * PAGE_SIZE <= ROWS_MAX; page += 1) {
    const batch = await fetchAfter(after);
    rows.push(...batch);
    if (batch.length < PAGE_SIZE) return rows;
    after = keyOf(batch[batch.length - 1]);
    em.clear();
  }
  throw new Error(`the ledger holds more than ${ROWS_MAX} rows in one table: too large to check in memory`);
}

const allAccounts = (em: EntityManager) =>
  allRows(
    em,
    (after) =>
      em.find(BankAccount, after === null ? {} : { id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: PAGE_SIZE }),
    (row) => row.id,
  );
const allTransfers = (em: EntityManager) =>
  allRows(
    em,
    (after) =>
      em.find(BankTransfer, after === null ? {} : { id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: PAGE_SIZE }),
    (row) => row.id,
  );
const allFreezes = (em: EntityManager) =>
  allRows(
    em,
    (after) =>
      em.find(BankFreeze, after === null ? {} : { transferId: { $gt: after } }, {
        orderBy: { transferId: 'asc' },
        limit: PAGE_SIZE,
      }),
    (row) => row.transferId,
  );

function recordOf(transfer: BankTransfer): TransferRecord {
  return {
    id: transfer.id,
    kind: transfer.kind,
    debitAccountId: transfer.debitAccountId,
    creditAccountId: transfer.creditAccountId,
    amountFen: transfer.amountFen,
    pendingId: transfer.pendingId,
  };
}

function accountOf(account: BankAccount): LedgerAccount {
  const { id, code, debitsPostedFen, creditsPostedFen, debitsPendingFen, creditsPendingFen } = account;
  return { id, code, debitsPostedFen, creditsPostedFen, debitsPendingFen, creditsPendingFen };
}

function sameBalances(left: AccountBalances, right: AccountBalances): boolean {
  return (
    left.debitsPostedFen === right.debitsPostedFen &&
    left.creditsPostedFen === right.creditsPostedFen &&
    left.debitsPendingFen === right.debitsPendingFen &&
    left.creditsPendingFen === right.creditsPendingFen
  );
}

/** Settlements that name no PENDING transfer (which a replay cannot process). */
function settlementProblems(records: TransferRecord[]): string[] {
  const kinds = new Map<string, TransferKind>(records.map((record) => [record.id, record.kind]));
  return records
    .filter((record) => record.pendingId !== null && kinds.get(record.pendingId) !== 'PENDING')
    .map((record) => `settlement ${record.id} names ${record.pendingId}, which is not a PENDING transfer`);
}

function accountProblems(accounts: LedgerAccount[], records: TransferRecord[]): string[] {
  const problems: string[] = [];
  // Freezes first: a settlement is replayed after the freeze it names, whatever the ids' order.
  const replayed = replayTransfers(
    [...records].sort((a, b) => Number(b.kind === 'PENDING') - Number(a.kind === 'PENDING')),
  );
  for (const account of accounts) {
    const totals = replayed.get(account.id) ?? ZERO_BALANCES;
    if (!sameBalances(totals, account))
      problems.push(`account ${account.id} (${account.code}) differs from the replay of its transfers`);
    if (exceedsCredits(account))
      problems.push(`account ${account.id} (${account.code}) is overdrawn: available ${availableFen(account)}`);
    if (account.debitsPendingFen < 0n || account.creditsPendingFen < 0n)
      problems.push(`account ${account.id} has negative pending totals`);
    replayed.delete(account.id);
  }
  for (const accountId of replayed.keys()) problems.push(`transfers name account ${accountId}, which does not exist`);
  if (!ledgerIsBalanced(accounts)) problems.push('Σ debits ≠ Σ credits');
  return problems;
}

function freezeProblems(freezes: BankFreeze[], records: Map<string, TransferRecord>): string[] {
  return freezes
    .filter((freeze) => {
      const record = records.get(freeze.transferId);
      return record === undefined || record.kind !== 'PENDING' || record.amountFen !== freeze.amountFen;
    })
    .map((freeze) => `freeze ${freeze.requestNo} does not match a PENDING transfer of ${freeze.amountFen}`);
}

async function notificationCounts(em: EntityManager): Promise<Record<NotificationStatus, number>> {
  return {
    PENDING: await em.count(OutgoingNotification, { status: 'PENDING' }),
    DELIVERED: await em.count(OutgoingNotification, { status: 'DELIVERED' }),
    GAVE_UP: await em.count(OutgoingNotification, { status: 'GAVE_UP' }),
  };
}

export async function checkLedger(orm: Database): Promise<LedgerCheck> {
  const em = forkEntityManager(orm);
  const accounts = (await allAccounts(em)).map(accountOf);
  const records = (await allTransfers(em)).map(recordOf);
  const freezes = await allFreezes(em);
  const broken = settlementProblems(records);
  const problems = [
    ...broken,
    ...(broken.length === 0 ? accountProblems(accounts, records) : []),
    ...freezeProblems(freezes, new Map(records.map((record) => [record.id, record]))),
  ];
  const settled = new Set(records.filter((record) => record.pendingId !== null).map((record) => record.pendingId));
  assert(accounts.length <= ROWS_MAX, 'account count is bounded');
  return {
    ok: problems.length === 0,
    problems: problems.slice(0, PROBLEMS_MAX),
    accountCount: accounts.length,
    transferCount: records.length,
    openFreezeCount: freezes.filter((freeze) => !settled.has(freeze.transferId)).length,
    notifications: await notificationCounts(em),
    platformFeeFen: accounts
      .filter((account) => account.code === 'PLATFORM_FEE')
      .reduce((sum, account) => sum + account.creditsPostedFen - account.debitsPostedFen, 0n)
      .toString(),
  };
}

/** Every account's totals and the transfer count, as text: equal before and after means nothing moved. */
export async function ledgerSnapshot(orm: Database): Promise<string> {
  const em = forkEntityManager(orm);
  const accounts = await allAccounts(em);
  const transferCount = await em.count(BankTransfer, {});
  const lines = accounts.map(
    (account) =>
      `${account.ref} ${account.debitsPostedFen} ${account.creditsPostedFen} ${account.debitsPendingFen} ${account.creditsPendingFen}`,
  );
  return [`transfers ${transferCount}`, ...lines].join('\n');
}
