// Proves the rules of the operator's user management (domain/user-admin.ts): a reason is required, trimmed
// and at most 200 characters; an admin may not disable themself; disable needs an enabled account, enable a
// disabled one, unlock a running lock; the search text is 1–100 characters without LIKE wildcards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_REASON_LENGTH_MAX,
  adminActionRefusal,
  checkAdminReason,
  searchTextProblem,
  USER_SEARCH_TEXT_LENGTH_MAX,
} from '../src/domain/user-admin';

const now = new Date('2026-12-05T10:00:00.000Z');
const adminId = '0193a000-0000-7000-8000-00000000000a';
const enabled = { id: '0193a000-0000-7000-8000-000000000001', disabledAt: null, lockedUntil: null };

test('a reason is required, kept trimmed, at most 200 characters', () => {
  assert.deepEqual(checkAdminReason('  fraud  '), { ok: true, reason: 'fraud' });
  assert.deepEqual(checkAdminReason('长'.repeat(ADMIN_REASON_LENGTH_MAX)).ok, true);
  for (const reason of ['', '   ', '\n'])
    assert.deepEqual(checkAdminReason(reason), { ok: false, refusal: { rule: 'REASON_REQUIRED' } });
  assert.deepEqual(checkAdminReason('x'.repeat(ADMIN_REASON_LENGTH_MAX + 1)), {
    ok: false,
    refusal: { rule: 'REASON_TOO_LONG', lengthMax: ADMIN_REASON_LENGTH_MAX },
  });
});

test('each action needs its state, and no admin disables themself', () => {
  const disabled = { ...enabled, disabledAt: now };
  const locked = { ...enabled, lockedUntil: new Date(now.getTime() + 1) };
  const lockEnded = { ...enabled, lockedUntil: now };
  assert.equal(adminActionRefusal('DISABLE', enabled, adminId, now), null);
  assert.deepEqual(adminActionRefusal('DISABLE', disabled, adminId, now), { rule: 'ALREADY_DISABLED' });
  assert.deepEqual(adminActionRefusal('DISABLE', { ...enabled, id: adminId }, adminId, now), { rule: 'DISABLE_SELF' });
  assert.equal(adminActionRefusal('ENABLE', disabled, adminId, now), null);
  assert.deepEqual(adminActionRefusal('ENABLE', enabled, adminId, now), { rule: 'NOT_DISABLED' });
  assert.equal(adminActionRefusal('UNLOCK', locked, adminId, now), null);
  assert.equal(adminActionRefusal('UNLOCK', { ...locked, id: adminId }, adminId, now), null, 'an admin unlocks self');
  assert.deepEqual(adminActionRefusal('UNLOCK', enabled, adminId, now), { rule: 'NOT_LOCKED' });
  assert.deepEqual(adminActionRefusal('UNLOCK', lockEnded, adminId, now), { rule: 'NOT_LOCKED' });
});

test('the search text is 1 to 100 characters with no LIKE wildcard', () => {
  for (const text of ['138', '张三', ' 0000 ', '9'.repeat(USER_SEARCH_TEXT_LENGTH_MAX)])
    assert.equal(searchTextProblem(text), null, text);
  for (const text of ['', '  ', '9'.repeat(USER_SEARCH_TEXT_LENGTH_MAX + 1), '%', '13_', 'a\\b'])
    assert.notEqual(searchTextProblem(text), null, text);
});
