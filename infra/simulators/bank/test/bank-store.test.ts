// Proves the bank's statements that take a list (src/store.ts, through services/ledger-store.ts and
// project-store.ts) work on more values than one SQL list holds, chunk by chunk, on libsql and MariaDB:
// 1,201 accounts funded in one group, frozen in one admitted group, read back, settled; the guarded
// multi-account update counts exactly the rows that keep their balance (the one that would not sits in
// the last chunk); 1,201 projects locked at once, each with its own status.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  forkEntityManager,
  newId,
  openDatabase,
  SQL_LIST_MAX,
  type Database,
  type EntityManager,
} from '@wanxin/platform';
import { BANK_PROJECT_STATUSES } from '@wanxin/platform/bank-protocol';
import { createTestEnvironment, databaseKindsUnderTest, type TestEnvironment } from '@wanxin/platform/testing';
import { bankDatabase, checkLedger } from '../src';
import { AccountRefs, BANK_CASH_REF } from '../src/domain/account-refs';
import { ZERO_BALANCES, type TransferRequest } from '../src/domain/ledger';
import { BankProject } from '../src/entities/bank-project.entity';
import {
  accountsById,
  applyTransferGroups,
  applyTransfers,
  openAccount,
  openPendingTransfers,
  pendingTransfers,
} from '../src/services/ledger-store';
import { lockProjects } from '../src/services/project-store';
import { addToAccounts, type AccountChange } from '../src/store';

/** More than two SQL lists: three chunks, the last of 201. */
const MANY = 2 * SQL_LIST_MAX + 201;
const FUNDED_FEN = 1_000n;
const FROZEN_FEN = 600n;

/** Rolled back on purpose, carrying what the work returned. */
class RolledBack<T> extends Error {
  constructor(readonly value: T) {
    super('rolled back on purpose');
  }
}

/** What `work` returns, its transaction rolled back. */
async function rolledBack<T>(orm: Database, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  try {
    await forkEntityManager(orm).transactional(async (tx) => {
      throw new RolledBack(await work(tx));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.value as T;
    throw error;
  }
  throw new Error('the transaction was not rolled back');
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank store lists longer than one SQL list on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let orm: Database;
    let cash: string;
    before(async () => {
      environment = createTestEnvironment(kind);
      orm = await openDatabase(environment.config, bankDatabase);
      cash = await forkEntityManager(orm).transactional((tx) => openAccount(tx, BANK_CASH_REF));
    });
    after(async () => {
      await orm?.close(true);
      await environment?.cleanup();
    });

    /** Opens `count` user accounts named `prefix`0, `prefix`1, …; their ids in id order. */
    async function openUsers(prefix: string, count: number): Promise<string[]> {
      return forkEntityManager(orm).transactional(async (tx) => {
        const ids: string[] = [];
        for (let index = 0; index < count; index += 1)
          ids.push(await openAccount(tx, AccountRefs.user(`${prefix}${index}`)));
        return ids.sort();
      });
    }

    /** Credits each account with FUNDED_FEN from the bank's cash, in one group. */
    async function fund(users: readonly string[], requestNo: string): Promise<void> {
      const funding = users.map((user): TransferRequest => ({
        kind: 'POSTED',
        id: newId(),
        debitAccountId: cash,
        creditAccountId: user,
        amountFen: FUNDED_FEN,
      }));
      const funded = await forkEntityManager(orm).transactional((tx) => applyTransfers(tx, funding, requestNo));
      assert.equal(funded.applied, true, 'one group credits every account');
    }

    test(`${MANY} accounts funded, frozen, read and settled in single groups`, async () => {
      const project = await forkEntityManager(orm).transactional((tx) => openAccount(tx, AccountRefs.project('LISTS')));
      const users = await openUsers('LISTS', MANY);
      await fund(users, 'FUND-LISTS');

      const freezes = users.map((user): TransferRequest => ({
        kind: 'PENDING',
        id: newId(),
        debitAccountId: user,
        creditAccountId: project,
        amountFen: FROZEN_FEN,
      }));
      const admitted = await forkEntityManager(orm).transactional((tx) =>
        applyTransferGroups(tx, [{ requestNo: 'FREEZE', requests: freezes }]),
      );
      assert.ok(admitted !== 'CHANGED_MEANWHILE');
      assert.deepEqual(
        { applied: admitted.applied, refused: admitted.refused },
        { applied: [0], refused: [] },
        'the guarded update changes every account, chunk by chunk',
      );
      assert.equal(admitted.postings[0].length, MANY, 'the group answers with a posting on every user account');
      assert.ok(
        admitted.postings[0].every(
          (posting) =>
            posting.seq === '2' &&
            posting.availableChangeFen === (-FROZEN_FEN).toString() &&
            posting.availableFen === (FUNDED_FEN - FROZEN_FEN).toString() &&
            posting.frozenFen === FROZEN_FEN.toString(),
        ),
        "each the account's second, after its funding, with its balances read back across chunks",
      );

      const accounts = await accountsById(forkEntityManager(orm), [cash, project, ...users]);
      assert.equal(accounts.size, MANY + 2);
      for (const user of users)
        assert.deepEqual(
          [accounts.get(user)!.creditsPostedFen, accounts.get(user)!.debitsPendingFen],
          [FUNDED_FEN, FROZEN_FEN],
          `account ${user}`,
        );
      assert.equal(accounts.get(project)!.creditsPendingFen, FROZEN_FEN * BigInt(MANY));

      const freezeIds = freezes.map((freeze) => freeze.id);
      const pendings = await pendingTransfers(forkEntityManager(orm), freezeIds);
      assert.deepEqual(
        freezeIds.map((id) => pendings.get(id)?.amountFen),
        freezeIds.map(() => FROZEN_FEN),
      );
      const open = await openPendingTransfers(forkEntityManager(orm), freezeIds);
      assert.equal([...open.values()].filter((pending) => pending !== 'SETTLED').length, MANY, 'all open');

      const settlements = freezeIds.map((id): TransferRequest => ({
        kind: 'POST_PENDING',
        id: newId(),
        pending: pendings.get(id)!,
        amountFen: FROZEN_FEN,
      }));
      const settled = await forkEntityManager(orm).transactional((tx) =>
        applyTransferGroups(tx, [{ requestNo: 'SETTLE', requests: settlements }]),
      );
      assert.ok(settled !== 'CHANGED_MEANWHILE');
      assert.deepEqual({ applied: settled.applied, refused: settled.refused }, { applied: [0], refused: [] });
      assert.ok(
        settled.postings[0].every((posting) => posting.seq === '3' && posting.frozenFen === '0'),
        "the settlement is each account's third posting, its freeze gone",
      );
      const after = await openPendingTransfers(forkEntityManager(orm), freezeIds);
      assert.ok(
        [...after.values()].every((pending) => pending === 'SETTLED'),
        'all settled',
      );
      assert.deepEqual((await checkLedger(orm)).problems, []);
    });

    test('the guarded update across chunks changes exactly the accounts that stay covered', async () => {
      const users = await openUsers('GUARD', MANY);
      await fund(users, 'FUND-GUARD');

      // Every account but the last (in the last chunk) can take a debit of 300.00 of its 1,000.
      const last = users[users.length - 1];
      const deltas = users.map((user): AccountChange => ({
        accountId: user,
        delta: { ...ZERO_BALANCES, debitsPostedFen: user === last ? FUNDED_FEN + 1n : 300n },
        postings: 1,
      }));
      const changed = await rolledBack(orm, (tx) => addToAccounts(tx, deltas, { overdrawable: new Set() }));
      assert.equal(changed, MANY - 1, 'every covered account changed, the one that would overdraw not');
      const exempted = await rolledBack(orm, (tx) => addToAccounts(tx, deltas, { overdrawable: new Set([last]) }));
      assert.equal(exempted, MANY, 'an exempt account changes whatever its balance');
      const untouched = await accountsById(forkEntityManager(orm), users);
      assert.ok(
        [...untouched.values()].every((account) => account.debitsPostedFen === 0n),
        'both rolled back',
      );
      assert.deepEqual((await checkLedger(orm)).problems, []);
    });

    test(`${MANY} projects locked at once, each with its own status`, async () => {
      const projectNos = Array.from({ length: MANY }, (_, index) => `LOCK${String(index).padStart(5, '0')}`);
      const statusOf = (index: number) => BANK_PROJECT_STATUSES[index % BANK_PROJECT_STATUSES.length];
      const now = new Date();
      await forkEntityManager(orm).insertMany(
        BankProject,
        projectNos.map((projectNo, index) => ({
          id: newId(),
          projectNo,
          borrowerUserNo: 'BORROWER',
          name: projectNo,
          amountFen: 100n,
          status: statusOf(index),
          accountId: newId(),
          version: 1,
          createdAt: now,
          updatedAt: now,
        })),
      );
      const statuses = await forkEntityManager(orm).transactional((tx) =>
        lockProjects(tx, [...projectNos, 'NOSUCHPROJECT']),
      );
      assert.deepEqual(
        projectNos.map((projectNo) => statuses.get(projectNo)),
        projectNos.map((_, index) => statusOf(index)),
      );
      assert.equal(statuses.has('NOSUCHPROJECT'), false, 'a project that does not exist is absent');
      const versions = await forkEntityManager(orm).find(BankProject, { projectNo: { $in: projectNos } });
      assert.ok(
        versions.every((project) => project.version === 2),
        'every project row was touched once',
      );
    });
  });
}
