// Proves the bank's payout can settle every bid a loan may hold: CONFIRM_LOAN's bound on freezes
// (LOAN_FREEZES_MAX) is at least the platform's LOAN_BIDS_MAX, which bids enforces per loan.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { LOAN_BIDS_MAX } from '@wanxin/platform';
import { LOAN_FREEZES_MAX } from '@wanxin/bank-simulator';

it('settles at least LOAN_BIDS_MAX freezes in one CONFIRM_LOAN', () => {
  assert.ok(
    LOAN_FREEZES_MAX >= LOAN_BIDS_MAX,
    `the bank settles ${LOAN_FREEZES_MAX} freezes per payout, a loan holds up to ${LOAN_BIDS_MAX} bids`,
  );
});
