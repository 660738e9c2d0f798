// Proves the installment's lifecycle (domain/installment-status.ts, domain.md §3): the one transition
// table allows exactly PENDING → OVERDUE when the due date passes and PENDING/OVERDUE → REPAID when the
// borrower's money is frozen, refuses every other (status, action) pair, has no way out of REPAID, and
// counts PENDING and OVERDUE as still owed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  INSTALLMENT_STATUSES,
  INSTALLMENT_TRANSITIONS,
  nextInstallmentStatus,
  UNPAID_STATUSES,
  type InstallmentAction,
  type InstallmentStatus,
} from '../src/domain/installment-status';

const ALLOWED: [InstallmentStatus, InstallmentAction, InstallmentStatus][] = [
  ['PENDING', 'FALL_OVERDUE', 'OVERDUE'],
  ['PENDING', 'REPAY', 'REPAID'],
  ['OVERDUE', 'REPAY', 'REPAID'],
];
const ACTIONS = Object.keys(INSTALLMENT_TRANSITIONS) as InstallmentAction[];

describe('the installment state machine', () => {
  it('knows the statuses and actions of domain.md', () => {
    assert.deepEqual([...INSTALLMENT_STATUSES], ['PENDING', 'OVERDUE', 'REPAID']);
    assert.deepEqual(ACTIONS.sort(), ['FALL_OVERDUE', 'REPAY']);
  });

  it('allows exactly the transitions of the lifecycle', () => {
    for (const [from, action, to] of ALLOWED)
      assert.equal(nextInstallmentStatus(from, action), to, `${from} ${action}`);
  });

  it('refuses every other (status, action) pair', () => {
    const refused: string[] = [];
    for (const status of INSTALLMENT_STATUSES) {
      for (const action of ACTIONS) {
        if (ALLOWED.some(([from, allowed]) => from === status && allowed === action)) continue;
        assert.equal(nextInstallmentStatus(status, action), null, `${status} ${action}`);
        refused.push(`${status} ${action}`);
      }
    }
    assert.deepEqual(refused, ['OVERDUE FALL_OVERDUE', 'REPAID FALL_OVERDUE', 'REPAID REPAY']);
  });

  it('has no way out of REPAID', () => {
    assert.deepEqual(
      INSTALLMENT_STATUSES.filter((status) =>
        ACTIONS.every((action) => nextInstallmentStatus(status, action) === null),
      ),
      ['REPAID'],
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
