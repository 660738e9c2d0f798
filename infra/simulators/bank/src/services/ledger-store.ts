import { assert, insertRows, newId, type EntityManager } from '@wanxin/platform';
import type { Posting } from '@wanxin/platform/bank-protocol';
import { codeOfRef } from '../domain/account-refs';
import { postingCounts, postingsOfGroups } from '../domain/postings';
import {
  admitGroups,
  assertTotalsNotNegative,
  availableFen,
  debitsMustNotExceedCredits,
  isRefusal,
  isZeroDelta,
  mayOverdraw,
  planTransfers,
  type AccountBalances,
  type AccountCode,
  type LedgerAccount,
  type LedgerRefusal,
  type PendingTransfer,
  type TransferRecord,
  type TransferRequest,
} from '../domain/ledger';
import { BankAccount } from '../entities/bank-account.entity';
import { BankTransfer } from '../entities/bank-transfer.entity';
import {
  addToAccount,
  addToAccounts,
  selectAccountByRef,
  selectAccounts,
  selectTransfers,
  selectTransfersWithSettlement,
  type AccountChange,
  type AccountRow,
  type TransferRow,
} from '../store';

/**
 * Applies planned transfer groups to the database, all or nothing, inside the caller's transaction.
 * Each account whose available balance a group lowers is changed by one atomic conditional UPDATE (in
 * id order): the condition is the no-overdraw invariant evaluated on the row as it is at that instant,
 * so two hundred concurrent freezes on one account can never overdraw it, on MariaDB (row locks) and
 * SQLite (one writer) alike, without SELECT … FOR UPDATE. An account whose update matches no row
 * refuses the whole group; the caller rolls the transaction back. The group's other changes cannot
 * refuse and go in one UPDATE (rows locked in id order within it); a lock cycle between two groups
 * is a deadlock the database breaks and the request runs again (services/recording.ts).
 */

export interface StoredAccount extends LedgerAccount {
  ref: string;
  postingSeq: bigint;
}

export type TransferOutcome =
  | { applied: true; records: TransferRecord[]; postings: Posting[] }
  | { applied: false; refusal: LedgerRefusal; account: StoredAccount | null };

/** A BIGINT column as the driver returned it (number when safe, string otherwise) → bigint. */
export function bigintOf(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    assert(Number.isSafeInteger(value), `${what}: ${value} is not a safe integer`);
    return BigInt(value);
  }
  assert(typeof value === 'string' && /^-?[0-9]+$/.test(value), `${what}: ${String(value)} is not an integer`);
  return BigInt(value);
}

function accountOfRow(row: AccountRow): StoredAccount {
  const code = row.code as AccountCode;
  assert(codeOfRef(row.ref) === code, `account ${row.id}: reference ${row.ref} does not match code ${row.code}`);
  return {
    id: row.id,
    ref: row.ref,
    code,
    debitsPostedFen: bigintOf(row.debits_posted_fen, `account ${row.id} debits posted`),
    creditsPostedFen: bigintOf(row.credits_posted_fen, `account ${row.id} credits posted`),
    debitsPendingFen: bigintOf(row.debits_pending_fen, `account ${row.id} debits pending`),
    creditsPendingFen: bigintOf(row.credits_pending_fen, `account ${row.id} credits pending`),
    postingSeq: bigintOf(row.posting_seq, `account ${row.id} posting count`),
  };
}

/** The accounts as they are now (inside the transaction: including its own changes). */
export async function accountsById(tx: EntityManager, ids: readonly string[]): Promise<Map<string, StoredAccount>> {
  const rows = await selectAccounts(tx, [...new Set(ids)]);
  return new Map(rows.map((row) => [row.id, accountOfRow(row)]));
}

export async function accountByRef(tx: EntityManager, ref: string): Promise<StoredAccount | null> {
  const row = await selectAccountByRef(tx, ref);
  return row === null ? null : accountOfRow(row);
}

/** The row of an account with nothing posted yet: its code is its reference's. */
export function emptyAccountRow(id: string, ref: string): BankAccount {
  return {
    id,
    ref,
    code: codeOfRef(ref),
    debitsPostedFen: 0n,
    creditsPostedFen: 0n,
    debitsPendingFen: 0n,
    creditsPendingFen: 0n,
    postingSeq: 0n,
    createdAt: new Date(),
  };
}

/** Opens an empty account; a second account with the same reference fails on the unique key. */
export async function openAccount(tx: EntityManager, ref: string): Promise<string> {
  const id = newId();
  await tx.insert(BankAccount, emptyAccountRow(id, ref));
  return id;
}

/** One atomic conditional update; false when it would overdraw an account that may not go below zero. */
async function applyDelta(tx: EntityManager, account: StoredAccount, delta: AccountBalances): Promise<boolean> {
  return (await addToAccount(tx, account.id, delta, debitsMustNotExceedCredits(account.code))) === 1;
}

function assertAccountInvariants(account: StoredAccount): void {
  assertTotalsNotNegative(account, account.ref);
  assert(
    !debitsMustNotExceedCredits(account.code) || availableFen(account) >= 0n,
    `account ${account.ref} is overdrawn: available ${availableFen(account)}`,
  );
}

/** Changes that cannot overdraw (credits; a freeze posted; any change to BANK_CASH): every row must take its change. */
async function applyUnguardedChanges(tx: EntityManager, changes: readonly AccountChange[]): Promise<void> {
  const changed = await addToAccounts(tx, changes, null);
  assert(changed === changes.length, `${changes.length} accounts to change, ${changed} updated`);
}

/** The accounts as this transaction left them, checked as TigerBeetle does after every write. */
async function checkAccountsAfter(tx: EntityManager, ids: readonly string[]): Promise<Map<string, StoredAccount>> {
  const after = await accountsById(tx, ids);
  for (const id of ids) assertAccountInvariants(after.get(id)!);
  return after;
}

async function insertTransferRecords(
  tx: EntityManager,
  records: readonly (TransferRecord & { requestNo: string })[],
): Promise<void> {
  const createdAt = new Date();
  await insertRows(
    tx,
    BankTransfer,
    records.map((record) => ({ ...record, createdAt })),
  );
}

/** Every account the transfers change, as they are now, in id order; each must exist. */
async function accountsChanged(
  tx: EntityManager,
  accountIds: Iterable<string>,
): Promise<{ ids: string[]; before: Map<string, StoredAccount> }> {
  const ids = [...new Set(accountIds)].sort();
  const before = await accountsById(tx, ids);
  assert(
    before.size === ids.length,
    `a transfer names an account that does not exist (${ids.filter((id) => !before.has(id)).join(', ')})`,
  );
  return { ids, before };
}

/**
 * Plans and applies a group of transfers made by request `requestNo`. On refusal nothing is recorded,
 * but accounts updated before the refusing one stay changed: the caller must roll back (the dispatcher
 * rolls back every request whose outcome is not a success).
 */
export async function applyTransfers(
  tx: EntityManager,
  requests: TransferRequest[],
  requestNo: string,
): Promise<TransferOutcome> {
  const plan = planTransfers(requests);
  if (isRefusal(plan)) return { applied: false, refusal: plan, account: null };
  const { ids, before } = await accountsChanged(tx, plan.deltas.keys());
  const guarded: string[] = [];
  const unguarded: AccountChange[] = [];
  for (const id of ids) {
    const delta = plan.deltas.get(id)!;
    if (isZeroDelta(delta)) continue;
    if (mayOverdraw(before.get(id)!.code, delta)) guarded.push(id);
    else unguarded.push({ accountId: id, delta, postings: 1 });
  }
  // The changes that could overdraw first, one guarded UPDATE each, so a refusal comes before the rest.
  for (const id of guarded) {
    const account = before.get(id)!;
    if (!(await applyDelta(tx, account, plan.deltas.get(id)!)))
      return { applied: false, refusal: { code: 'EXCEEDS_CREDITS', accountId: id }, account };
  }
  if (unguarded.length > 0) await applyUnguardedChanges(tx, unguarded);
  await insertTransferRecords(
    tx,
    plan.records.map((record) => ({ ...record, requestNo })),
  );
  const after = await checkAccountsAfter(tx, ids);
  return { applied: true, records: plan.records, postings: postingsOfGroups([plan.deltas], after)[0] };
}

/** Groups one request applies one after another, at most (a claim transfer: the price, then the fee). */
export const GROUPS_IN_ORDER_MAX = 4;

/**
 * Groups of one request applied one after another by applyTransfers, inside the caller's transaction: an
 * account two groups change takes a posting for each, in order (a seller is paid the price, then charged
 * the fee). The first refusal stops the rest, and the caller must roll back as for applyTransfers.
 */
export async function applyTransfersInOrder(
  tx: EntityManager,
  groups: readonly TransferRequest[][],
  requestNo: string,
): Promise<TransferOutcome> {
  assert(groups.length >= 1 && groups.length <= GROUPS_IN_ORDER_MAX, `1 to ${GROUPS_IN_ORDER_MAX} groups in order`);
  const records: TransferRecord[] = [];
  const postings: Posting[] = [];
  for (const requests of groups) {
    const outcome = await applyTransfers(tx, requests, requestNo);
    if (!outcome.applied) return outcome;
    records.push(...outcome.records);
    postings.push(...outcome.postings);
  }
  return { applied: true, records, postings };
}

export interface GroupsApplied {
  applied: number[];
  /** The postings of each group applied, in the order of `applied`. */
  postings: Posting[][];
  refused: { index: number; refusal: LedgerRefusal & { code: 'EXCEEDS_CREDITS' }; account: StoredAccount }[];
}

/** One request's transfers, to be applied with others' by applyTransferGroups. */
export interface TransferGroup {
  requestNo: string;
  requests: TransferRequest[];
}

/**
 * Many requests' transfer groups in a few statements, inside the caller's transaction: each group all or
 * nothing, in order, one that would overdraw an account (after those before it) or is malformed left out
 * (admitGroups). The admission is decided on the balances read here, without locks; the accounts are
 * then changed by one guarded UPDATE per chunk of ids in order (so two groups lock their common accounts
 * in the same order), which changes fewer rows than expected only if another transaction moved money
 * in between: then the caller must roll back.
 * Returns the indexes of the groups applied and of those refused for want of money (with the account
 * that would have gone below zero, as applyTransfers says it), or 'CHANGED_MEANWHILE'. A malformed group
 * is in neither.
 */
export async function applyTransferGroups(
  tx: EntityManager,
  groups: readonly TransferGroup[],
): Promise<GroupsApplied | 'CHANGED_MEANWHILE'> {
  const planned = groups.flatMap((group, index) => {
    const plan = planTransfers(group.requests);
    return isRefusal(plan) ? [] : [{ index, plan }];
  });
  const { ids, before } = await accountsChanged(
    tx,
    planned.flatMap(({ plan }) => [...plan.deltas.keys()]),
  );
  const admission = admitGroups(
    before,
    planned.map(({ plan }) => plan),
  );
  const applied = admission.admitted.map((position) => planned[position]);
  const counts = postingCounts(applied.map(({ plan }) => plan.deltas));
  const changes = [...admission.deltas]
    .filter(([, delta]) => !isZeroDelta(delta))
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([accountId, delta]) => ({ accountId, delta, postings: counts.get(accountId) ?? 0 }));
  const overdrawable = new Set(ids.filter((id) => !debitsMustNotExceedCredits(before.get(id)!.code)));
  if ((await addToAccounts(tx, changes, { overdrawable })) !== changes.length) return 'CHANGED_MEANWHILE';
  await insertTransferRecords(
    tx,
    applied.flatMap(({ index, plan }) =>
      plan.records.map((record) => ({ ...record, requestNo: groups[index].requestNo })),
    ),
  );
  const after = await checkAccountsAfter(tx, ids);
  return {
    applied: applied.map(({ index }) => index),
    postings: postingsOfGroups(
      applied.map(({ plan }) => plan.deltas),
      after,
    ),
    refused: admission.refused.map(({ index, accountId }) => ({
      index: planned[index].index,
      refusal: { code: 'EXCEEDS_CREDITS', accountId },
      account: before.get(accountId)!,
    })),
  };
}

/** PENDING transfers by id, as freezes to settle. */
export async function pendingTransfers(
  tx: EntityManager,
  ids: readonly string[],
): Promise<Map<string, PendingTransfer>> {
  const rows = await selectTransfers(tx, ids);
  return new Map(rows.map((row) => [row.id, pendingOfRow(row)]));
}

function pendingOfRow(row: TransferRow): PendingTransfer {
  assert(row.kind === 'PENDING', `transfer ${row.id} is ${row.kind}, not a freeze`);
  return {
    id: row.id,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amountFen: bigintOf(row.amount_fen, `transfer ${row.id} amount`),
  };
}

/**
 * Freezes' PENDING transfers by id, each SETTLED when a POST_PENDING or VOID_PENDING already names it.
 * Every id must exist.
 */
export async function openPendingTransfers(
  tx: EntityManager,
  transferIds: readonly string[],
): Promise<Map<string, PendingTransfer | 'SETTLED'>> {
  const ids = [...new Set(transferIds)];
  const rows = await selectTransfersWithSettlement(tx, ids);
  const open = new Map<string, PendingTransfer | 'SETTLED'>(
    rows.map((row) => [row.id, row.settlement_id === null ? pendingOfRow(row) : 'SETTLED']),
  );
  const missing = ids.filter((id) => !open.has(id));
  assert(missing.length === 0, `freeze transfers ${missing.join(', ')} are missing`);
  return open;
}

/** openPendingTransfers for one freeze. */
export async function openPendingTransfer(tx: EntityManager, transferId: string): Promise<PendingTransfer | 'SETTLED'> {
  return (await openPendingTransfers(tx, [transferId])).get(transferId)!;
}
