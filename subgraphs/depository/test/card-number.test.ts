// Proves who sees a depository account's bank card number (domain/card-number.ts): its owner and admins
// see it whole; anyone else, signed in or not, sees only its first and last four digits; no card, no number.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Viewer } from '@wanxin/platform';
import { visibleCardNumber } from '../src/domain/card-number';

const owner: Viewer = { id: '0193a1b2-0000-7000-8000-000000000001', role: 'INVESTOR' };
const stranger: Viewer = { id: '0193a1b2-0000-7000-8000-000000000002', role: 'BORROWER' };
const admin: Viewer = { id: '0193a1b2-0000-7000-8000-000000000003', role: 'ADMIN' };
const CARD_NUMBER = '6222020000001234567';

describe('bank card number', () => {
  it('is whole to its owner and to admins', () => {
    assert.equal(visibleCardNumber(owner, owner.id, CARD_NUMBER), CARD_NUMBER);
    assert.equal(visibleCardNumber(admin, owner.id, CARD_NUMBER), CARD_NUMBER);
  });

  it('is masked to anyone else, anonymous viewers included', () => {
    assert.equal(visibleCardNumber(stranger, owner.id, CARD_NUMBER), '6222***********4567');
    assert.equal(visibleCardNumber(null, owner.id, CARD_NUMBER), '6222***********4567');
  });

  it('is null when no card is bound', () => {
    for (const viewer of [owner, admin, stranger, null]) assert.equal(visibleCardNumber(viewer, owner.id, null), null);
  });
});
