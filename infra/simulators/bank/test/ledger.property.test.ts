// Proves the bank ledger's invariants over random histories (fast-check): whatever sequence of
// recharges, withdrawals, freezes, voids, partial posts and payouts is attempted, no user or card
// account ever goes below zero, Σ debits = Σ credits (posted and pending), a refused group changes
// nothing, and the stored totals always equal a replay of the transfers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  admitGroups,
  applyDelta,
  availableFen,
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
    for (let user = 0; user < USERS; user += 1) {
      this.accounts.set(`user${user}`, { id: `user${user}`, code: 'USER', ...ZERO_BALANCES });
      this.accounts.set(`card${user}`, { id: `card${user}`, code: 'CARD', ...ZERO_BALANCES });
      assert.equal(this.apply([this.posted('cash', `card${user}`, CARD_START_FEN)]), true);
    }
  }

  nextId(): string {
    this.sequence += 1;
    return `t${this.sequence}`;
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

test('random histories keep every invariant and equal their replay', () => {
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 80 }), (steps) => {
      const ledger = new MemoryLedger();
      for (const step of steps) {
        const requests = requestsFor(ledger, step);
        if (requests.length === 0) continue;
        const before = ledger.snapshot();
        const recordsBefore = ledger.records.length;
        if (!ledger.apply(requests)) {
          assert.equal(ledger.snapshot(), before, 'a refused group changed balances');
          assert.equal(ledger.records.length, recordsBefore, 'a refused group left transfers');
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
