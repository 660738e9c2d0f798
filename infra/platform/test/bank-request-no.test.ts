// The one requestNo generator (loans, bids, repayments, the depository agent and the test harnesses): a
// readable purpose prefix and 128 random bits, always within the bank's 40 characters of [A-Za-z0-9_-].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newBankRequestNo, REQUEST_NO_PATTERN } from '../src/bank-protocol';

test('a requestNo is its prefix and 32 upper-case hex digits, within the bank rule and never repeated', () => {
  const numbers = Array.from({ length: 1000 }, () => newBankRequestNo('PRJ'));
  assert.equal(new Set(numbers).size, numbers.length);
  for (const requestNo of numbers) {
    assert.match(requestNo, /^PRJ[0-9A-F]{32}$/);
    assert.match(requestNo, REQUEST_NO_PATTERN);
  }
  assert.match(newBankRequestNo('ABCDEFGH'), /^ABCDEFGH[0-9A-F]{32}$/);
});

test('a prefix is 1 to 8 capital letters, so the number stays readable and within 40 characters', () => {
  for (const prefix of ['', 'ABCDEFGHI', 'rc', 'R1', 'R-']) {
    assert.throws(() => newBankRequestNo(prefix), /prefix/);
  }
});
