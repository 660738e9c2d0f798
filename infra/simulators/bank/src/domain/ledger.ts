import { assert, MONEY_MAX_FEN } from '@wanxin/platform';

/**
 * The custodian bank's books, TigerBeetle style: accounts hold four running totals; money moves only as
 * transfers, each a debit of one account and a credit of another for the same amount. A freeze is a
 * PENDING transfer, later POSTED (settled, fully or in part: the rest is released) or VOIDED. Transfers
 * are never changed or deleted. This module is pure: it plans what a group of transfers does to the
 * accounts; the store applies the plan atomically with conditional updates.
 */
export type AccountCode =
  /** A user's depository account: may never go below zero. */
  | 'USER'
  /** A user's simulated bank card, the source of recharges and the target of withdrawals. */
  | 'CARD'
  /** A loan project's escrow: bids' freezes wait here until payout. */
  | 'PROJECT'
  /** The platform's fee and commission income. */
  | 'PLATFORM_FEE'
  /** The bank's own cash, which funds simulated cards; the only account allowed below zero. */
  | 'BANK_CASH';

export interface AccountBalances {
  debitsPostedFen: bigint;
  creditsPostedFen: bigint;
  debitsPendingFen: bigint;
  creditsPendingFen: bigint;
}

export interface LedgerAccount extends AccountBalances {
  id: string;
  code: AccountCode;
}

export const ZERO_BALANCES: AccountBalances = {
  debitsPostedFen: 0n,
  creditsPostedFen: 0n,
  debitsPendingFen: 0n,
  creditsPendingFen: 0n,
};

/** Every account but the bank's cash must keep debits (posted and pending) within posted credits. */
export function debitsMustNotExceedCredits(code: AccountCode): boolean {
  return code !== 'BANK_CASH';
}

/** What the holder can still move: posted credits − posted debits − pending debits. */
export function availableFen(balances: AccountBalances): bigint {
  return balances.creditsPostedFen - balances.debitsPostedFen - balances.debitsPendingFen;
}

/**
 * Whether applying `delta` could take the account below zero: only an account bound by the no-overdraw
 * rule whose available balance the delta lowers. Any other change cannot refuse, so it needs no guard.
 */
export function mayOverdraw(code: AccountCode, delta: AccountBalances): boolean {
  return debitsMustNotExceedCredits(code) && availableFen(delta) < 0n;
}

export function exceedsCredits(account: LedgerAccount): boolean {
  return debitsMustNotExceedCredits(account.code) && availableFen(account) < 0n;
}

/** An open freeze, as the store found it (no POST/VOID references it yet). */
export interface PendingTransfer {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amountFen: bigint;
}

export type TransferRequest =
  | { kind: 'POSTED'; id: string; debitAccountId: string; creditAccountId: string; amountFen: bigint }
  | { kind: 'PENDING'; id: string; debitAccountId: string; creditAccountId: string; amountFen: bigint }
  /** Settles `amountFen` of a freeze (at most its amount); whatever is left is released. */
  | { kind: 'POST_PENDING'; id: string; pending: PendingTransfer; amountFen: bigint }
  | { kind: 'VOID_PENDING'; id: string; pending: PendingTransfer };

export type TransferKind = TransferRequest['kind'];

/** The immutable row a transfer leaves. */
export interface TransferRecord {
  id: string;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  amountFen: bigint;
  /** For POST_PENDING and VOID_PENDING: the freeze it settles (unique: a freeze settles once). */
  pendingId: string | null;
}

export type LedgerRefusal =
  | { code: 'INVALID_AMOUNT'; transferId: string }
  | { code: 'SAME_ACCOUNT'; transferId: string }
  | { code: 'POST_EXCEEDS_PENDING'; transferId: string }
  | { code: 'PENDING_SETTLED_TWICE'; transferId: string }
  | { code: 'EXCEEDS_CREDITS'; accountId: string };

export interface TransferPlan {
  records: TransferRecord[];
  /** Signed change of each touched account's totals. */
  deltas: Map<string, AccountBalances>;
}

function addDelta(deltas: Map<string, AccountBalances>, accountId: string, change: Partial<AccountBalances>): void {
  const current = deltas.get(accountId) ?? { ...ZERO_BALANCES };
  deltas.set(accountId, {
    debitsPostedFen: current.debitsPostedFen + (change.debitsPostedFen ?? 0n),
    creditsPostedFen: current.creditsPostedFen + (change.creditsPostedFen ?? 0n),
    debitsPendingFen: current.debitsPendingFen + (change.debitsPendingFen ?? 0n),
    creditsPendingFen: current.creditsPendingFen + (change.creditsPendingFen ?? 0n),
  });
}

function validAmount(amountFen: bigint): boolean {
  return amountFen > 0n && amountFen <= MONEY_MAX_FEN;
}

function refusalOf(request: TransferRequest): LedgerRefusal | null {
  if (request.kind === 'POSTED' || request.kind === 'PENDING') {
    if (!validAmount(request.amountFen)) return { code: 'INVALID_AMOUNT', transferId: request.id };
    if (request.debitAccountId === request.creditAccountId) return { code: 'SAME_ACCOUNT', transferId: request.id };
    return null;
  }
  if (request.kind === 'POST_PENDING') {
    if (request.amountFen < 0n) return { code: 'INVALID_AMOUNT', transferId: request.id };
    if (request.amountFen > request.pending.amountFen) return { code: 'POST_EXCEEDS_PENDING', transferId: request.id };
  }
  return null;
}

/** What a group of transfers records and changes; refused as a whole if any one is malformed. */
export function planTransfers(requests: readonly TransferRequest[]): TransferPlan | LedgerRefusal {
  assert(
    requests.length > 0 && requests.length <= 10_000,
    `a group holds 1 to 10000 transfers, got ${requests.length}`,
  );
  const records: TransferRecord[] = [];
  const deltas = new Map<string, AccountBalances>();
  const settled = new Set<string>();
  for (const request of requests) {
    const refusal = refusalOf(request);
    if (refusal !== null) return refusal;
    switch (request.kind) {
      case 'POSTED':
        addDelta(deltas, request.debitAccountId, { debitsPostedFen: request.amountFen });
        addDelta(deltas, request.creditAccountId, { creditsPostedFen: request.amountFen });
        records.push({ ...request, pendingId: null });
        break;
      case 'PENDING':
        addDelta(deltas, request.debitAccountId, { debitsPendingFen: request.amountFen });
        addDelta(deltas, request.creditAccountId, { creditsPendingFen: request.amountFen });
        records.push({ ...request, pendingId: null });
        break;
      case 'POST_PENDING':
      case 'VOID_PENDING': {
        const { pending } = request;
        if (settled.has(pending.id)) return { code: 'PENDING_SETTLED_TWICE', transferId: request.id };
        settled.add(pending.id);
        const postedFen = request.kind === 'POST_PENDING' ? request.amountFen : 0n;
        addDelta(deltas, pending.debitAccountId, { debitsPendingFen: -pending.amountFen, debitsPostedFen: postedFen });
        addDelta(deltas, pending.creditAccountId, {
          creditsPendingFen: -pending.amountFen,
          creditsPostedFen: postedFen,
        });
        records.push({
          id: request.id,
          kind: request.kind,
          debitAccountId: pending.debitAccountId,
          creditAccountId: pending.creditAccountId,
          amountFen: postedFen,
          pendingId: pending.id,
        });
        break;
      }
      default:
        return unreachableRequest(request);
    }
  }
  return { records, deltas };
}

function unreachableRequest(request: never): never {
  throw new Error(`unknown transfer kind ${JSON.stringify(request)}`);
}

export function isRefusal(result: TransferPlan | LedgerRefusal): result is LedgerRefusal {
  return 'code' in result;
}

/** A change that changes nothing: no transfer of a group touched the account in sum. */
export function isZeroDelta(delta: AccountBalances): boolean {
  return (
    delta.debitsPostedFen === 0n &&
    delta.creditsPostedFen === 0n &&
    delta.debitsPendingFen === 0n &&
    delta.creditsPendingFen === 0n
  );
}

export function applyDelta(account: LedgerAccount, delta: AccountBalances): LedgerAccount {
  const next: LedgerAccount = {
    ...account,
    debitsPostedFen: account.debitsPostedFen + delta.debitsPostedFen,
    creditsPostedFen: account.creditsPostedFen + delta.creditsPostedFen,
    debitsPendingFen: account.debitsPendingFen + delta.debitsPendingFen,
    creditsPendingFen: account.creditsPendingFen + delta.creditsPendingFen,
  };
  assertTotalsNotNegative(next, account.id);
  return next;
}

/** No account's pending or posted totals go below zero; `accountName` names it in the failure. */
export function assertTotalsNotNegative(balances: AccountBalances, accountName: string): void {
  assert(
    balances.debitsPendingFen >= 0n && balances.creditsPendingFen >= 0n,
    `account ${accountName}: pending totals went negative`,
  );
  assert(
    balances.debitsPostedFen >= 0n && balances.creditsPostedFen >= 0n,
    `account ${accountName}: posted totals went negative`,
  );
}

export interface Admission {
  /** Indexes of the plans that go ahead, in order. */
  admitted: number[];
  /** The plans left out, in order, each with the account it would have taken below zero. */
  refused: { index: number; accountId: string }[];
  /** The admitted plans' changes, summed per account. */
  deltas: Map<string, AccountBalances>;
}

/**
 * Several requests' transfer groups applied together: taken in order, each all or nothing, a group that
 * would take an account bound by the no-overdraw rule below zero (after the groups admitted before it)
 * is left out and the rest go ahead — what applying them one after another would do.
 */
export function admitGroups(accounts: ReadonlyMap<string, LedgerAccount>, plans: readonly TransferPlan[]): Admission {
  const balances = new Map(accounts);
  const admission: Admission = { admitted: [], refused: [], deltas: new Map() };
  plans.forEach((plan, index) => {
    const next = new Map<string, LedgerAccount>();
    for (const [accountId, delta] of plan.deltas) {
      const account = balances.get(accountId);
      assert(account !== undefined, `a transfer names account ${accountId}, which was not read`);
      next.set(accountId, applyDelta(account, delta));
    }
    // The lowest id, as one by one: its guarded changes are made in id order and the first to fail refuses.
    const overdrawn = [...next.keys()].filter((accountId) => exceedsCredits(next.get(accountId)!)).sort();
    if (overdrawn.length > 0) {
      admission.refused.push({ index, accountId: overdrawn[0] });
      return;
    }
    for (const [accountId, account] of next) balances.set(accountId, account);
    for (const [accountId, delta] of plan.deltas) addDelta(admission.deltas, accountId, delta);
    admission.admitted.push(index);
  });
  return admission;
}

/** Σ debits = Σ credits, posted and pending, over every account of the ledger. */
export function ledgerIsBalanced(accounts: Iterable<AccountBalances>): boolean {
  let debitsPosted = 0n;
  let creditsPosted = 0n;
  let debitsPending = 0n;
  let creditsPending = 0n;
  for (const account of accounts) {
    debitsPosted += account.debitsPostedFen;
    creditsPosted += account.creditsPostedFen;
    debitsPending += account.debitsPendingFen;
    creditsPending += account.creditsPendingFen;
  }
  return debitsPosted === creditsPosted && debitsPending === creditsPending;
}

/** Recomputes every account's totals from the transfer history alone: the check on stored balances. */
export function replayTransfers(records: Iterable<TransferRecord>): Map<string, AccountBalances> {
  const totals = new Map<string, AccountBalances>();
  const pendings = new Map<string, TransferRecord>();
  for (const record of records) {
    if (record.kind === 'PENDING') pendings.set(record.id, record);
    const plan =
      record.kind === 'POST_PENDING' || record.kind === 'VOID_PENDING'
        ? planTransfers([settlementOf(record, pendings)])
        : planTransfers([{ ...record, kind: record.kind }]);
    assert(!isRefusal(plan), `transfer ${record.id} cannot be replayed`);
    for (const [accountId, delta] of plan.deltas) addDelta(totals, accountId, delta);
  }
  return totals;
}

function settlementOf(record: TransferRecord, pendings: Map<string, TransferRecord>): TransferRequest {
  assert(record.pendingId !== null, `settlement ${record.id} names no freeze`);
  const pending = pendings.get(record.pendingId);
  assert(pending !== undefined, `settlement ${record.id} settles unknown freeze ${record.pendingId}`);
  return record.kind === 'POST_PENDING'
    ? { kind: 'POST_PENDING', id: record.id, pending, amountFen: record.amountFen }
    : { kind: 'VOID_PENDING', id: record.id, pending };
}
