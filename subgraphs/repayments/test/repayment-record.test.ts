// Proves who reads a paid-out loan's repayment record (its schedule with overdue days and penalties): its
// borrower, its investors and admins; anyone else signed in is FORBIDDEN, an anonymous reader UNAUTHENTICATED.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { repaymentRecordRefusal } from '../src/domain/repayment-record';

const BORROWER = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const OTHER = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';

describe('who reads a repayment record', () => {
  it('its borrower, its investors and admins', () => {
    assert.equal(repaymentRecordRefusal({ id: BORROWER, role: 'BORROWER' }, BORROWER, false), null);
    assert.equal(repaymentRecordRefusal({ id: OTHER, role: 'INVESTOR' }, BORROWER, true), null);
    assert.equal(repaymentRecordRefusal({ id: OTHER, role: 'ADMIN' }, BORROWER, false), null);
  });

  it('nobody else: another borrower or an investor of other loans is FORBIDDEN, an anonymous reader UNAUTHENTICATED', () => {
    assert.equal(repaymentRecordRefusal({ id: OTHER, role: 'BORROWER' }, BORROWER, false), 'FORBIDDEN');
    assert.equal(repaymentRecordRefusal({ id: OTHER, role: 'INVESTOR' }, BORROWER, false), 'FORBIDDEN');
    assert.equal(repaymentRecordRefusal(null, BORROWER, false), 'UNAUTHENTICATED');
  });
});
