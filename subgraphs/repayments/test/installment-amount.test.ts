// Proves what an installment's `amount` is (domain/installment-amount.ts): exactly principal plus
// interest in whole fen, with no rounding and no float on the way; a negative part is a broken invariant.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from '@wanxin/platform';
import { installmentAmountFen } from '../src/domain/installment-amount';

describe('installment amount', () => {
  it('is principal plus interest', () => {
    assert.equal(installmentAmountFen(83_416n, 10_000n), 93_416n);
    assert.equal(installmentAmountFen(0n, 10_000n), 10_000n);
    assert.equal(installmentAmountFen(1_000_000n, 0n), 1_000_000n);
    assert.equal(installmentAmountFen(0n, 0n), 0n);
  });

  it('stays exact beyond the range of a float', () => {
    assert.equal(installmentAmountFen(999_999_999_999n, 9_007_199_254_740_993n), 9_008_199_254_740_992n);
  });

  it('refuses a negative principal or interest', () => {
    assert.throws(() => installmentAmountFen(-1n, 0n), AssertionError);
    assert.throws(() => installmentAmountFen(0n, -1n), AssertionError);
  });
});
