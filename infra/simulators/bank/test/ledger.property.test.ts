// Proves the bank ledger's invariants over random histories (fast-check): whatever sequence of
// recharges, withdrawals, freezes, voids, partial posts, payouts and claim transfers (CREDIT_ASSIGNMENT's
// groups in order: the buyer pays the seller, the seller the platform's fee) is attempted, no user or card
// account ever goes below zero, Σ debits = Σ credits (posted and pending), a refused group changes
// nothing, and the stored totals always equal a replay of the transfers. First on an in-memory model,
// then through the store itself (services/ledger-store.ts) on libsql and MariaDB: the same histories, one
// request per step in its own transaction (rolled back when refused, as the dispatcher does), and after
// every step the stored accounts equal the model's, its open freezes are the model's, and at the end the
// ledger's self-check (replay, Σ debits = Σ credits, no overdraft) finds nothing; a batch of groups
// through applyTransferGroups admits exactly the groups the model applies one by one. The postings the
// store answers with are each user account's whole history: numbered 1, 2, 3 … up to the account's count,
// none missing, each one's balances its predecessor's plus its changes, the last one's the account's. A
// claim transfer applied moves exactly the price from the buyer, the price less the fee to the seller and
// the fee to the platform; refused, it moves nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forkEntityManager, openDatabase, type Database, type EntityManager } from '@wanxin/platform';
import { createTestEnvironment, databaseKindsUnderTest, type TestEnvironment } from '@wanxin/platform/testing';
import { bankDatabase, checkLedger } from '../src';
import { AccountRefs, BANK_CASH_REF, PLATFORM_FEE_REF } from '../src/domain/account-refs';
import { BankAccount } from '../src/entities/bank-account.entity';
import { BankTransfer } from '../src/entities/bank-transfer.entity';
import { assignmentTransferGroups } from '../src/services/credit-assignment';
import {
  accountsById,
  applyTransferGroups,
  applyTransfers,
  applyTransfersInOrder,
  emptyAccountRow,
  openPendingTransfers,
  type GroupsApplied,
  type StoredAccount,
  type TransferOutcome,
} from '../src/services/ledger-store';
import { postingHistoryProblem, postingsOf, type Posting } from '@wanxin/platform/bank-protocol';
import {
  admitGroups,
  applyDelta,
  availableFen,
  debitsMustNotExceedCredits,
  exceedsCredits,
  isRefusal,
  ledgerIsBalanced,
  mayOverdraw,
  planTransfers,
  replayTransfers,
  ZERO_BALANCES,
  type LedgerAccount,
  type PendingTransfer,
  type TransferPlan,
  type TransferRecord,
  type TransferRequest,
} from '../src/domain/ledger';

const CARD_START_FEN = 100_000_00n;
const USERS = 3;

/** An in-memory store applying groups all-or-nothing, as the database store does with conditional updates. */
class MemoryLedger {
  readonly accounts = new Map<string, LedgerAccount>();
  readonly records: TransferRecord[] = [];
  readonly open = new Map<string, PendingTransfer>();
  private sequence = 0;

  constructor() {
    this.accounts.set('cash', { id: 'cash', code: 'BANK_CASH', ...ZERO_BALANCES });
    this.accounts.set('project', { id: 'project', code: 'PROJECT', ...ZERO_BALANCES });
    this.accounts.set('fee', { id: 'fee', code: 'PLATFORM_FEE', ...ZERO_BALANCES });
    for (let user = 0; user < USERS; user += 1) {
      this.accounts.set(`user${user}`, { id: `user${user}`, code: 'USER', ...ZERO_BALANCES });
      this.accounts.set(`card${user}`, { id: `card${user}`, code: 'CARD', ...ZERO_BALANCES });
      assert.equal(this.apply([this.posted('cash', `card${user}`, CARD_START_FEN)]), true);
    }
  }

  nextId(): string {
    this.sequence += 1;
    // Zero-padded, so the transfers' ids sort in the order they were made (the store's table is read by id).
    return `t${String(this.sequence).padStart(6, '0')}`;
  }

  posted(debitAccountId: string, creditAccountId: string, amountFen: bigint): TransferRequest {
    return { kind: 'POSTED', id: this.nextId(), debitAccountId, creditAccountId, amountFen };
  }

  /** Applies a group; false (and nothing changed) when refused. */
  apply(requests: TransferRequest[]): boolean {
    const plan = planTransfers(requests);
    if (isRefusal(plan)) return false;
    const next = new Map<string, LedgerAccount>();
    for (const [accountId, delta] of plan.deltas) {
      const account = applyDelta(next.get(accountId) ?? this.accounts.get(accountId)!, delta);
      if (exceedsCredits(account)) return false;
      next.set(accountId, account);
    }
    for (const [accountId, account] of next) this.accounts.set(accountId, account);
    for (const record of plan.records) {
      this.records.push(record);
      if (record.kind === 'PENDING') this.open.set(record.id, record);
      if (record.pendingId !== null) this.open.delete(record.pendingId);
    }
    return true;
  }

  /** Applies one request's groups in order, all or nothing; false (and nothing changed) when one is refused. */
  applyInOrder(groups: TransferRequest[][]): boolean {
    const accounts = new Map(this.accounts);
    const open = new Map(this.open);
    const recordCount = this.records.length;
    if (groups.every((requests) => this.apply(requests))) return true;
    this.accounts.clear();
    for (const [id, account] of accounts) this.accounts.set(id, account);
    this.open.clear();
    for (const [id, pending] of open) this.open.set(id, pending);
    this.records.splice(recordCount);
    return false;
  }

  snapshot(): string {
    return JSON.stringify([...this.accounts.values()], (_, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
  }
}

const amount = fc.bigInt({ min: -100n, max: 60_000_00n });
const user = fc.integer({ min: 0, max: USERS - 1 });
const command = fc.oneof(
  fc.record({ type: fc.constant('recharge' as const), user, amount }),
  fc.record({ type: fc.constant('withdraw' as const), user, amount }),
  fc.record({ type: fc.constant('freeze' as const), user, amount }),
  fc.record({ type: fc.constant('void' as const), pick: fc.nat() }),
  fc.record({ type: fc.constant('post' as const), pick: fc.nat(), percent: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ type: fc.constant('payout' as const), user, amount }),
  fc.record({ type: fc.constant('group' as const), user, amount, second: amount }),
);

type Step = typeof command extends fc.Arbitrary<infer T> ? T : never;

/**
 * A claim transfer between two users (the same one now and then: refused) at a price of `pricePermille` of
 * what the buyer has available when it runs (above 1000: more than they have, refused; 0: refused); the fee
 * 0, a small sum, or anything (negative, or above the price: refused unless the seller can pay it).
 */
const assignment = fc.record({
  type: fc.constant('assign' as const),
  seller: user,
  buyer: user,
  pricePermille: fc.integer({ min: 0, max: 1_100 }),
  fee: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 2_500n }), fc.bigInt({ min: -10n, max: 10_000_00n })),
});
type AssignStep = typeof assignment extends fc.Arbitrary<infer T> ? T : never;
/** A step of a history: a command's one group, or a claim transfer's groups in order. */
const historyStep = fc.oneof(command, assignment);
type HistoryStep = Step | AssignStep;
/** Every user recharged 20,000.00 first, so that claim transfers find buyers who can pay. */
const FUNDING: HistoryStep[] = Array.from({ length: USERS }, (_, user) => ({
  type: 'recharge',
  user,
  amount: 20_000_00n,
}));
/** A history of steps, half of them starting with FUNDING. */
function history(lengthMax: number): fc.Arbitrary<HistoryStep[]> {
  return fc
    .tuple(fc.boolean(), fc.array(historyStep, { minLength: 1, maxLength: lengthMax }))
    .map(([funded, steps]) => (funded ? [...FUNDING, ...steps] : steps));
}

function requestsFor(ledger: MemoryLedger, step: Step): TransferRequest[] {
  const pendings = [...ledger.open.values()];
  switch (step.type) {
    case 'recharge':
      return [ledger.posted(`card${step.user}`, `user${step.user}`, step.amount)];
    case 'withdraw':
      return [ledger.posted(`user${step.user}`, `card${step.user}`, step.amount)];
    case 'freeze':
      return [
        {
          kind: 'PENDING',
          id: ledger.nextId(),
          debitAccountId: `user${step.user}`,
          creditAccountId: 'project',
          amountFen: step.amount,
        },
      ];
    case 'void':
      return pendings.length === 0
        ? []
        : [{ kind: 'VOID_PENDING', id: ledger.nextId(), pending: pendings[step.pick % pendings.length] }];
    case 'post': {
      if (pendings.length === 0) return [];
      const pending = pendings[step.pick % pendings.length];
      return [
        {
          kind: 'POST_PENDING',
          id: ledger.nextId(),
          pending,
          amountFen: (pending.amountFen * BigInt(step.percent)) / 100n,
        },
      ];
    }
    case 'payout':
      return [ledger.posted('project', `user${step.user}`, step.amount)];
    case 'group':
      // Two transfers that must both happen or neither: the second may overdraw and sink the first.
      return [
        ledger.posted(`card${step.user}`, `user${step.user}`, step.amount),
        ledger.posted(`user${step.user}`, 'project', step.second),
      ];
    default:
      throw new Error(`unknown step ${JSON.stringify(step)}`);
  }
}

/** One request's groups, to apply in order: a claim transfer's as CREDIT_ASSIGNMENT makes them, else one group. */
function groupsFor(ledger: MemoryLedger, step: HistoryStep): TransferRequest[][] {
  if (step.type !== 'assign') {
    const requests = requestsFor(ledger, step);
    return requests.length === 0 ? [] : [requests];
  }
  return assignmentTransferGroups(
    { buyerAccountId: `user${step.buyer}`, sellerAccountId: `user${step.seller}`, platformFeeAccountId: 'fee' },
    assignmentTermsOf(ledger, step),
    () => ledger.nextId(),
  );
}

/** The price and fee of a claim transfer step, given what its buyer has available now. */
function assignmentTermsOf(ledger: MemoryLedger, step: AssignStep): { amountFen: bigint; feeFen: bigint } {
  const buyerFen = availableFen(ledger.accounts.get(`user${step.buyer}`)!);
  return { amountFen: (buyerFen * BigInt(step.pricePermille)) / 1000n, feeFen: step.fee };
}

/** Available balances of the accounts a claim transfer moves, by model id. */
function availableOf(ledger: MemoryLedger, ids: readonly string[]): bigint[] {
  return ids.map((id) => availableFen(ledger.accounts.get(id)!));
}

/**
 * A claim transfer applied moved the price from the buyer, the price less the fee to the seller and the fee to
 * the platform.
 */
function assertAssignedToTheFen(terms: { amountFen: bigint; feeFen: bigint }, before: bigint[], after: bigint[]): void {
  const [buyerBefore, sellerBefore, feeBefore] = before;
  const { amountFen, feeFen } = terms;
  assert.deepEqual(after, [buyerBefore - amountFen, sellerBefore + amountFen - feeFen, feeBefore + feeFen]);
}

test('random histories keep every invariant and equal their replay', () => {
  fc.assert(
    fc.property(history(80), (steps) => {
      const ledger = new MemoryLedger();
      for (const step of steps) {
        const groups = groupsFor(ledger, step);
        if (groups.length === 0) continue;
        const before = ledger.snapshot();
        const recordsBefore = ledger.records.length;
        const moved = step.type === 'assign' ? [`user${step.buyer}`, `user${step.seller}`, 'fee'] : [];
        const availableBefore = availableOf(ledger, moved);
        const terms = step.type === 'assign' ? assignmentTermsOf(ledger, step) : null;
        if (!ledger.applyInOrder(groups)) {
          assert.equal(ledger.snapshot(), before, 'a refused request changed balances');
          assert.equal(ledger.records.length, recordsBefore, 'a refused request left transfers');
        } else if (terms !== null) {
          assertAssignedToTheFen(terms, availableBefore, availableOf(ledger, moved));
        }
        for (const account of ledger.accounts.values()) {
          assert.ok(!exceedsCredits(account), `${account.id} overdrawn: available ${availableFen(account)}`);
          const openDebits = [...ledger.open.values()]
            .filter((pending) => pending.debitAccountId === account.id)
            .reduce((sum, pending) => sum + pending.amountFen, 0n);
          assert.equal(
            account.debitsPendingFen,
            openDebits,
            `${account.id} pending debits differ from its open freezes`,
          );
        }
        assert.ok(ledgerIsBalanced(ledger.accounts.values()), 'debits and credits differ');
      }
      const replayed = replayTransfers(ledger.records);
      for (const account of ledger.accounts.values()) {
        const totals = replayed.get(account.id) ?? ZERO_BALANCES;
        assert.deepEqual(
          [totals.debitsPostedFen, totals.creditsPostedFen, totals.debitsPendingFen, totals.creditsPendingFen],
          [account.debitsPostedFen, account.creditsPostedFen, account.debitsPendingFen, account.creditsPendingFen],
          `${account.id} differs from its replay`,
        );
      }
    }),
    { numRuns: 400 },
  );
});

// A batch's groups settle distinct freezes (the bank takes one settlement per freeze per batch): no void or post here.
const batchStep = command.filter((step) => step.type !== 'void' && step.type !== 'post');

test('groups admitted together change the books exactly as applying them one after another', () => {
  fc.assert(
    fc.property(
      fc.array(command, { maxLength: 40 }),
      fc.array(batchStep, { minLength: 1, maxLength: 20 }),
      (history, batch) => {
        const ledger = new MemoryLedger();
        for (const step of history) {
          const requests = requestsFor(ledger, step);
          if (requests.length > 0) ledger.apply(requests);
        }
        const groups = batch
          .map((step) => requestsFor(ledger, step))
          .filter((requests) => !isRefusal(planTransfers(requests)));
        const admission = admitGroups(
          ledger.accounts,
          groups.map((requests) => planTransfers(requests) as TransferPlan),
        );
        const together = new Map(ledger.accounts);
        for (const [accountId, delta] of admission.deltas)
          together.set(accountId, applyDelta(together.get(accountId)!, delta));
        const oneByOne = groups.flatMap((requests, index) => (ledger.apply(requests) ? [index] : []));
        assert.deepEqual(admission.admitted, oneByOne, 'the same groups go ahead');
        assert.deepEqual(
          admission.refused.map(({ index }) => index),
          groups.flatMap((_, index) => (oneByOne.includes(index) ? [] : [index])),
          'the others are refused',
        );
        assert.deepEqual(together, ledger.accounts, 'the summed changes leave the books as one by one does');
      },
    ),
    { numRuns: 300 },
  );
});

test('malformed transfers are refused before any balance is looked at', () => {
  const pending: PendingTransfer = { id: 'p', debitAccountId: 'a', creditAccountId: 'b', amountFen: 100n };
  const cases: [TransferRequest[], string][] = [
    [[{ kind: 'POSTED', id: 't', debitAccountId: 'a', creditAccountId: 'b', amountFen: 0n }], 'INVALID_AMOUNT'],
    [[{ kind: 'POSTED', id: 't', debitAccountId: 'a', creditAccountId: 'b', amountFen: -1n }], 'INVALID_AMOUNT'],
    [
      [{ kind: 'PENDING', id: 't', debitAccountId: 'a', creditAccountId: 'b', amountFen: 1_000_000_000_000n }],
      'INVALID_AMOUNT',
    ],
    [[{ kind: 'POSTED', id: 't', debitAccountId: 'a', creditAccountId: 'a', amountFen: 1n }], 'SAME_ACCOUNT'],
    [[{ kind: 'POST_PENDING', id: 't', pending, amountFen: 101n }], 'POST_EXCEEDS_PENDING'],
    [
      [
        { kind: 'VOID_PENDING', id: 't1', pending },
        { kind: 'POST_PENDING', id: 't2', pending, amountFen: 1n },
      ],
      'PENDING_SETTLED_TWICE',
    ],
  ];
  for (const [requests, code] of cases) {
    const plan = planTransfers(requests);
    assert.ok(
      isRefusal(plan) && plan.code === code,
      `${JSON.stringify(requests, (_, v) => (typeof v === 'bigint' ? String(v) : v))} → ${code}`,
    );
  }
});

test('a partial post settles part of a freeze and releases the rest', () => {
  const ledger = new MemoryLedger();
  assert.ok(ledger.apply([ledger.posted('card0', 'user0', 1000n)]));
  assert.ok(
    ledger.apply([{ kind: 'PENDING', id: 'f', debitAccountId: 'user0', creditAccountId: 'project', amountFen: 600n }]),
  );
  assert.equal(availableFen(ledger.accounts.get('user0')!), 400n);
  assert.ok(!ledger.apply([ledger.posted('user0', 'card0', 401n)]), 'frozen money cannot be withdrawn');
  assert.ok(ledger.apply([{ kind: 'POST_PENDING', id: 's', pending: ledger.open.get('f')!, amountFen: 250n }]));
  assert.equal(availableFen(ledger.accounts.get('user0')!), 750n);
  assert.equal(ledger.accounts.get('project')!.creditsPostedFen, 250n);
  assert.equal(ledger.open.size, 0);
});

test('mayOverdraw guards exactly the changes that lower an overdraw-bound account’s available balance', () => {
  const zero = { debitsPostedFen: 0n, creditsPostedFen: 0n, debitsPendingFen: 0n, creditsPendingFen: 0n };
  assert.equal(mayOverdraw('USER', { ...zero, debitsPendingFen: 1n }), true, 'a freeze');
  assert.equal(mayOverdraw('USER', { ...zero, debitsPendingFen: -5n, debitsPostedFen: 5n }), false, 'a freeze posted');
  assert.equal(mayOverdraw('USER', { ...zero, debitsPendingFen: -5n }), false, 'a freeze released');
  assert.equal(mayOverdraw('USER', { ...zero, creditsPostedFen: 5n }), false, 'a credit');
  assert.equal(mayOverdraw('BANK_CASH', { ...zero, debitsPostedFen: 5n }), false, 'the bank’s cash may go below zero');
  fc.assert(
    fc.property(
      fc.bigInt(-1000n, 1000n),
      fc.bigInt(-1000n, 1000n),
      fc.bigInt(-1000n, 1000n),
      fc.bigInt(0n, 2000n),
      (debitsPosted, creditsPosted, debitsPending, startFen) => {
        // An account with `startFen` available and a delta that mayOverdraw lets pass never ends below zero.
        const delta = {
          debitsPostedFen: debitsPosted,
          creditsPostedFen: creditsPosted,
          debitsPendingFen: debitsPending,
          creditsPendingFen: 0n,
        };
        if (!mayOverdraw('USER', delta)) assert.ok(startFen + availableFen(delta) >= 0n);
      },
    ),
  );
});

/** Runs of the database properties: each step is a transaction, so far fewer than the model's. */
const DATABASE_RUNS = 20;
const DATABASE_STEPS_MAX = 25;

/** Where each model account lives in the bank's table: the same id, a reference of its code. */
function refOf(accountId: string): string {
  if (accountId === 'cash') return BANK_CASH_REF;
  if (accountId === 'project') return AccountRefs.project('PROPERTY1');
  if (accountId === 'fee') return PLATFORM_FEE_REF;
  const owner = `OWNER${accountId.slice(4)}`;
  return accountId.startsWith('user') ? AccountRefs.user(owner) : AccountRefs.card(owner);
}

/** Refused: the transaction is rolled back, as the dispatcher rolls back every request that fails. */
class Refused extends Error {
  constructor(readonly outcome: TransferOutcome) {
    super('refused');
  }
}

class StoredLedger {
  private requests = 0;
  /** Every posting the store answered with, by userNo. */
  private postings = new Map<string, Posting[]>();

  constructor(private readonly orm: Database) {}

  /** An empty bank with the model's accounts, then the model's card funding applied through the store. */
  async reset(model: MemoryLedger): Promise<void> {
    const em = forkEntityManager(this.orm);
    await em.nativeDelete(BankTransfer, {});
    await em.nativeDelete(BankAccount, {});
    await em.insertMany(
      BankAccount,
      [...model.accounts.keys()].map((id) => {
        const row = emptyAccountRow(id, refOf(id));
        assert.equal(row.code, model.accounts.get(id)!.code, 'the store codes an account as the model does');
        return row;
      }),
    );
    this.postings.clear();
    const funding = model.records.map((record): TransferRequest => ({ ...record, kind: 'POSTED' }));
    for (const request of funding) assert.equal(await this.apply([request]), true, 'a card is funded');
  }

  /** One request's transfers through applyTransfers; whether they were applied. */
  apply(requests: TransferRequest[]): Promise<boolean> {
    return this.request((tx, requestNo) => applyTransfers(tx, requests, requestNo));
  }

  /** One request's groups through applyTransfersInOrder; whether they were applied. */
  applyInOrder(groups: TransferRequest[][]): Promise<boolean> {
    return this.request((tx, requestNo) => applyTransfersInOrder(tx, groups, requestNo));
  }

  /** One request's work in its own transaction, rolled back when refused; whether it was applied. */
  private async request(work: (tx: EntityManager, requestNo: string) => Promise<TransferOutcome>): Promise<boolean> {
    this.requests += 1;
    const requestNo = `R${this.requests}`;
    try {
      return (
        await forkEntityManager(this.orm).transactional(async (tx) => {
          const outcome = await work(tx, requestNo);
          if (!outcome.applied) throw new Refused(outcome);
          this.heard(outcome.postings);
          return outcome;
        })
      ).applied;
    } catch (error) {
      if (error instanceof Refused) return false;
      throw error;
    }
  }

  /** Many requests' groups through applyTransferGroups, in one transaction; the indexes applied and refused. */
  async applyGroups(groups: TransferRequest[][]): Promise<GroupsApplied> {
    const admitted = await forkEntityManager(this.orm).transactional((tx) =>
      applyTransferGroups(
        tx,
        groups.map((requests, index) => ({ requestNo: `B${index}`, requests })),
      ),
    );
    assert.ok(admitted !== 'CHANGED_MEANWHILE', 'nothing else writes to this bank');
    for (const postings of admitted.postings) this.heard(postings);
    return admitted;
  }

  private heard(postings: readonly Posting[]): void {
    for (const posting of postings)
      this.postings.set(posting.userNo, [...(this.postings.get(posting.userNo) ?? []), posting]);
  }

  /** A user account's postings, oldest first, are its whole history and end where the account stands. */
  private assertPostingsOf(account: StoredAccount, what: string): void {
    const history = (postingsOf({ postings: this.postings.get(account.ref.slice('USER:'.length)) ?? [] }) ?? [])
      .slice()
      .sort((left, right) => (left.seq < right.seq ? -1 : 1));
    assert.equal(postingHistoryProblem(history), null, `${what}: ${account.ref}'s postings are its history`);
    assert.equal(BigInt(history.length), account.postingSeq, `${what}: ${account.ref} counts its postings`);
    const last = history.at(-1);
    assert.equal(last?.availableFen ?? 0n, availableFen(account), `${what}: ${account.ref} available as posted`);
    assert.equal(last?.frozenFen ?? 0n, account.debitsPendingFen, `${what}: ${account.ref} frozen as posted`);
  }

  async assertSameAs(model: MemoryLedger, what: string): Promise<void> {
    const em = forkEntityManager(this.orm);
    const stored = await accountsById(em, [...model.accounts.keys()]);
    for (const [id, account] of model.accounts) {
      const { ref: _ref, postingSeq: _postingSeq, ...balances } = stored.get(id)!;
      assert.deepEqual(balances, account, `${what}: account ${id} as stored equals the model`);
      if (account.code === 'USER') this.assertPostingsOf(stored.get(id)!, what);
      assert.ok(!exceedsCredits(balances), `${what}: ${id} overdrawn as stored`);
      assert.ok(balances.debitsPendingFen >= 0n && balances.creditsPendingFen >= 0n, `${what}: ${id} frozen ≥ 0`);
    }
    assert.ok(ledgerIsBalanced(stored.values()), `${what}: Σ debits = Σ credits as stored`);
    const freezeIds = model.records.filter((record) => record.kind === 'PENDING').map((record) => record.id);
    const open = freezeIds.length === 0 ? new Map() : await openPendingTransfers(em, freezeIds);
    assert.deepEqual(
      [...open]
        .filter(([, pending]) => pending !== 'SETTLED')
        .map(([id]) => id)
        .sort(),
      [...model.open.keys()].sort(),
      `${what}: the open freezes as stored are the model's`,
    );
  }

  async assertSound(): Promise<void> {
    const check = await checkLedger(this.orm);
    assert.deepEqual(check.problems, [], 'the ledger self-check finds nothing');
  }
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`the ledger store on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let orm: Database;
    let stored: StoredLedger;
    before(async () => {
      environment = createTestEnvironment(kind);
      orm = await openDatabase(environment.config, bankDatabase);
      stored = new StoredLedger(orm);
    });
    after(async () => {
      await orm?.close(true);
      await environment?.cleanup();
    });

    test('random histories through applyTransfers leave the stored books exactly as the model', async () => {
      await fc.assert(
        fc.asyncProperty(history(DATABASE_STEPS_MAX), async (steps) => {
          const model = new MemoryLedger();
          await stored.reset(model);
          for (const [index, step] of steps.entries()) {
            const groups = groupsFor(model, step);
            if (groups.length === 0) continue;
            const applied = model.applyInOrder(groups);
            const outcome = await stored.applyInOrder(groups);
            assert.equal(outcome, applied, `step ${index} (${step.type}): the same outcome`);
            await stored.assertSameAs(model, `after step ${index} (${step.type})`);
          }
          await stored.assertSound();
        }),
        { numRuns: DATABASE_RUNS },
      );
    });

    test('groups through applyTransferGroups are admitted and booked as the model does one by one', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(command, { maxLength: DATABASE_STEPS_MAX }),
          fc.array(batchStep, { minLength: 1, maxLength: 15 }),
          async (history, batch) => {
            const model = new MemoryLedger();
            await stored.reset(model);
            for (const step of history) {
              const requests = requestsFor(model, step);
              if (requests.length > 0) assert.equal(await stored.apply(requests), model.apply(requests));
            }
            const groups = batch.map((step) => requestsFor(model, step));
            const { applied, refused } = await stored.applyGroups(groups);
            const wellFormed = groups.map((requests) => !isRefusal(planTransfers(requests)));
            const oneByOne = groups.flatMap((requests, index) => (model.apply(requests) ? [index] : []));
            assert.deepEqual(applied, oneByOne, 'the same groups go ahead');
            assert.deepEqual(
              refused.map(({ index }) => index),
              groups.flatMap((_, index) => (wellFormed[index] && !oneByOne.includes(index) ? [index] : [])),
              'every well-formed group left out is refused for want of money',
            );
            for (const { account } of refused)
              assert.ok(debitsMustNotExceedCredits(account.code), 'an account bound not to overdraw');
            await stored.assertSameAs(model, 'after the batch');
            await stored.assertSound();
          },
        ),
        { numRuns: DATABASE_RUNS },
      );
    });
  });
}
