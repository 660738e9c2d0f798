import { assert } from '@wanxin/platform';
import type { Posting } from '@wanxin/platform/bank-protocol';
import { fenText, signedFenText } from '@wanxin/platform/bank-protocol';
import { ownerNoOfRef } from './account-refs';
import { availableFen, isZeroDelta, type AccountBalances, type AccountCode } from './ledger';

/**
 * What a request did to each user's depository account, as the bank answers it (the account history a
 * statement is built from). Every account counts the requests that changed it (`postingSeq`, bumped in
 * the statement that changes its totals, under the row's lock): a request's posting on an account carries
 * that count, so a user's postings are numbered 1, 2, 3 … in the order the bank applied them, and a gap
 * shows a posting the platform has not heard of.
 */

/** An account as read back after a write, inside the writing transaction. */
export interface AccountAfter extends AccountBalances {
  ref: string;
  code: AccountCode;
  postingSeq: bigint;
}

/** How many postings each account takes from these groups, applied together: one per group that changes it. */
export function postingCounts(groupDeltas: readonly ReadonlyMap<string, AccountBalances>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const deltas of groupDeltas)
    for (const [accountId, delta] of deltas)
      if (!isZeroDelta(delta)) counts.set(accountId, (counts.get(accountId) ?? 0) + 1);
  return counts;
}

function minus(balances: AccountBalances, delta: AccountBalances): AccountBalances {
  return {
    debitsPostedFen: balances.debitsPostedFen - delta.debitsPostedFen,
    creditsPostedFen: balances.creditsPostedFen - delta.creditsPostedFen,
    debitsPendingFen: balances.debitsPendingFen - delta.debitsPendingFen,
    creditsPendingFen: balances.creditsPendingFen - delta.creditsPendingFen,
  };
}

/** A user account's posting: what `delta` changed and the account as it stood after it. */
function postingOf(account: AccountAfter, seq: bigint, delta: AccountBalances, balances: AccountBalances): Posting {
  return {
    userNo: ownerNoOfRef(account.ref),
    seq: seq.toString(),
    availableChangeFen: signedFenText(availableFen(delta)),
    frozenChangeFen: signedFenText(delta.debitsPendingFen),
    availableFen: fenText(availableFen(balances)),
    frozenFen: fenText(balances.debitsPendingFen),
  };
}

/**
 * Each group's postings on user accounts, given the groups' changes in the order they were applied and
 * the accounts as they stood after the last: walking back from the end, each group's account is the one
 * after it less the changes of the groups after it, and its number the count less theirs.
 */
export function postingsOfGroups(
  groupDeltas: readonly ReadonlyMap<string, AccountBalances>[],
  after: ReadonlyMap<string, AccountAfter>,
): Posting[][] {
  const postings: Posting[][] = groupDeltas.map(() => []);
  const state = new Map<string, { balances: AccountBalances; seq: bigint }>();
  for (let index = groupDeltas.length - 1; index >= 0; index -= 1) {
    for (const [accountId, delta] of groupDeltas[index]) {
      const account = after.get(accountId);
      assert(account !== undefined, `account ${accountId} was not read back`);
      if (account.code !== 'USER' || isZeroDelta(delta)) continue;
      const current = state.get(accountId) ?? { balances: account, seq: account.postingSeq };
      assert(current.seq >= 1n, `account ${account.ref}: more postings than its count`);
      postings[index].push(postingOf(account, current.seq, delta, current.balances));
      state.set(accountId, { balances: minus(current.balances, delta), seq: current.seq - 1n });
    }
  }
  for (const list of postings) list.sort((left, right) => (left.userNo < right.userNo ? -1 : 1));
  return postings;
}
