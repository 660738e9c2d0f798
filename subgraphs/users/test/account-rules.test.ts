// Proves the users domain rules: mobile and password formats, the five-strikes lock, and scrypt hashes
// that verify only the right password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADDRESS_FAILURES_MAX, ADDRESS_WINDOW_MS, addressBlockedUntil, isLocked, isValidMobile, lockAfterFailure, LOGIN_FAILURES_MAX, LOGIN_LOCK_MS, passwordProblem,
} from '../src/domain/account-rules';
import { hashPassword, verifyPassword } from '../src/domain/password';

test('accepts 11-digit mainland mobiles only', () => {
  for (const mobile of ['13800000000', '19912345678', '15011112222']) assert.ok(isValidMobile(mobile), mobile);
  for (const mobile of ['', '1380000000', '138000000000', '12800000000', '23800000000', '+8613800000000', '138 0000 000', '1380000000a']) {
    assert.ok(!isValidMobile(mobile), mobile);
  }
});

test('passwords need 8 to 64 characters with a letter and a digit', () => {
  assert.equal(passwordProblem('abc12345'), null);
  assert.match(passwordProblem('abc1234') ?? '', /at least 8/);
  assert.match(passwordProblem(`a1${'x'.repeat(63)}`) ?? '', /at most 64/);
  assert.match(passwordProblem('abcdefgh') ?? '', /letter and a digit/);
  assert.match(passwordProblem('12345678') ?? '', /letter and a digit/);
});

test('the fifth failure in a row locks the account for 15 minutes', () => {
  const now = new Date('2026-11-22T00:00:00Z');
  for (let failures = 1; failures < LOGIN_FAILURES_MAX; failures += 1) assert.equal(lockAfterFailure(failures, now), null);
  const until = lockAfterFailure(LOGIN_FAILURES_MAX, now);
  assert.equal(until?.getTime(), now.getTime() + LOGIN_LOCK_MS);
  assert.ok(isLocked(until, new Date(now.getTime() + LOGIN_LOCK_MS - 1)));
  assert.ok(!isLocked(until, new Date(now.getTime() + LOGIN_LOCK_MS)));
  assert.ok(!isLocked(null, now));
  assert.throws(() => lockAfterFailure(0, now));
});

test('an address is blocked once its failures in the window reach the maximum, until the window ends', () => {
  const start = new Date('2026-11-22T00:00:00Z');
  const during = new Date(start.getTime() + ADDRESS_WINDOW_MS - 1);
  assert.equal(addressBlockedUntil(start, ADDRESS_FAILURES_MAX - 1, during), null);
  assert.equal(addressBlockedUntil(start, ADDRESS_FAILURES_MAX, during)?.getTime(), start.getTime() + ADDRESS_WINDOW_MS);
  assert.equal(addressBlockedUntil(start, ADDRESS_FAILURES_MAX, new Date(start.getTime() + ADDRESS_WINDOW_MS)), null);
});

test('scrypt hashes verify the right password only and are salted', async () => {
  const first = await hashPassword('correct horse 1');
  const second = await hashPassword('correct horse 1');
  assert.notEqual(first, second);
  assert.match(first, /^scrypt\$16384\$8\$1\$/);
  assert.ok(await verifyPassword('correct horse 1', first));
  assert.ok(await verifyPassword('correct horse 1', second));
  assert.ok(!(await verifyPassword('correct horse 2', first)));
  assert.ok(!(await verifyPassword('', first)));
});
