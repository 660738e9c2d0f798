// Proves the repayments' bank requestNos (domain/request-numbers.ts): a REPAYMENT freeze is "RP" + 32
// upper-case hex digits, new every time and valid for the bank (its own REQUEST_NO_PATTERN); its
// CONFIRM_REPAYMENT is "RC" + the same digits, so every retry derives the same number; anything that is
// not a collection requestNo is refused as a broken invariant.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from '@wanxin/platform';
import { REQUEST_NO_PATTERN as BANK_REQUEST_NO } from '@wanxin/platform/bank-protocol';
import { confirmRequestNoFor, newCollectionRequestNo } from '../src/domain/request-numbers';

const SAMPLE_DIGITS = '0123456789ABCDEF0123456789ABCDEF';

describe('collection requestNos', () => {
  it('are RP + 32 upper-case hex digits, valid for the bank', () => {
    const requestNo = newCollectionRequestNo();
    assert.match(requestNo, /^RP[0-9A-F]{32}$/);
    assert.match(requestNo, BANK_REQUEST_NO);
  });

  it('are new every time', () => {
    const requestNos = new Set(Array.from({ length: 100 }, () => newCollectionRequestNo()));
    assert.equal(requestNos.size, 100);
  });
});

describe('confirmation requestNos', () => {
  it("are RC + the collection's digits, the same on every call", () => {
    assert.equal(confirmRequestNoFor(`RP${SAMPLE_DIGITS}`), `RC${SAMPLE_DIGITS}`);
    const collection = newCollectionRequestNo();
    const confirmation = confirmRequestNoFor(collection);
    assert.equal(confirmation, `RC${collection.slice(2)}`);
    assert.equal(confirmRequestNoFor(collection), confirmation);
    assert.match(confirmation, BANK_REQUEST_NO);
  });

  it('are refused for anything but a collection requestNo', () => {
    for (const requestNo of [
      `RC${SAMPLE_DIGITS}`, // a confirmation
      `RP${SAMPLE_DIGITS.toLowerCase()}`,
      `RP${SAMPLE_DIGITS.slice(1)}`,
      `RP${SAMPLE_DIGITS}0`,
      `rp${SAMPLE_DIGITS}`,
      `PAY${SAMPLE_DIGITS}`,
      ` RP${SAMPLE_DIGITS}`,
      '',
    ]) {
      assert.throws(() => confirmRequestNoFor(requestNo), AssertionError, JSON.stringify(requestNo));
    }
  });
});
