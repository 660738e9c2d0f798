// Proves the installment's lifecycle (domain/installment-status.ts, domain.md §3): the one transition
// table allows exactly PENDING → OVERDUE when the due date passes and PENDING/OVERDUE → REPAID when the
// borrower's money is frozen, PENDING → SETTLED_EARLY when an early repayment closes a later period at
// zero, refuses every other (status, action) pair, has no way out of REPAID or SETTLED_EARLY, and counts
// PENDING and OVERDUE as still owed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { itFollowsTransitionTable, refusedPairs, type Transition } from '@wanxin/platform/testing';
import {
  INSTALLMENT_STATUSES,
  INSTALLMENT_TRANSITIONS,
  nextInstallmentStatus,
  UNPAID_STATUSES,
  type InstallmentAction,
  type InstallmentStatus,
} from '../src/domain/installment-status';

const ACTIONS = Object.keys(INSTALLMENT_TRANSITIONS) as InstallmentAction[];
const INSTALLMENT_MOVES: Transition<InstallmentStatus, InstallmentAction>[] = [
  ['PENDING', 'FALL_OVERDUE', 'OVERDUE'],
  ['PENDING', 'REPAY', 'REPAID'],
  ['OVERDUE', 'REPAY', 'REPAID'],
  ['PENDING', 'CLOSE_EARLY', 'SETTLED_EARLY'],
];
const INSTALLMENT_LIFECYCLE = {
  statuses: INSTALLMENT_STATUSES,
  actions: ACTIONS,
  next: nextInstallmentStatus,
  allowed: INSTALLMENT_MOVES,
};

describe('the installment state machine', () => {
  it('knows the statuses and actions of domain.md', () => {
    assert.deepEqual([...INSTALLMENT_STATUSES], ['PENDING', 'OVERDUE', 'REPAID', 'SETTLED_EARLY']);
    assert.deepEqual(ACTIONS.sort(), ['CLOSE_EARLY', 'FALL_OVERDUE', 'REPAY']);
  });

  itFollowsTransitionTable(INSTALLMENT_LIFECYCLE);

  it('refuses exactly these pairs', () => {
    const refused = refusedPairs(INSTALLMENT_LIFECYCLE).map(([status, action]) => `${status} ${action}`);
    assert.deepEqual(refused.sort(), [
      'OVERDUE CLOSE_EARLY',
      'OVERDUE FALL_OVERDUE',
      'REPAID CLOSE_EARLY',
      'REPAID FALL_OVERDUE',
      'REPAID REPAY',
      'SETTLED_EARLY CLOSE_EARLY',
      'SETTLED_EARLY FALL_OVERDUE',
      'SETTLED_EARLY REPAY',
    ]);
  });

  it('has no way out of REPAID or SETTLED_EARLY', () => {
    assert.deepEqual(
      INSTALLMENT_STATUSES.filter((status) =>
        ACTIONS.every((action) => nextInstallmentStatus(status, action) === null),
      ),
      ['REPAID', 'SETTLED_EARLY'],
    );
  });

  it('counts PENDING and OVERDUE as still owed: exactly the statuses REPAY moves from', () => {
    assert.deepEqual([...UNPAID_STATUSES], ['PENDING', 'OVERDUE']);
    assert.deepEqual(
      INSTALLMENT_STATUSES.filter((status) => nextInstallmentStatus(status, 'REPAY') !== null),
      [...UNPAID_STATUSES],
    );
  });
});
