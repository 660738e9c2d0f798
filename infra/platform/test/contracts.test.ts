// Proves the event contracts: each event type and version has one schema that accepts what its publisher
// writes, refuses a missing field, money that is not integer fen in a string, and the payload-level rules
// (distinct bids adding up, at most LOAN_BIDS_MAX, the derived bank userNo), and lets an unknown field
// through within a version (additive changes); a refusal names the field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bankUserNoFor, LOAN_BIDS_MAX, newId } from '../src';
import {
  AccountOpened,
  ALL_CONTRACTS,
  CACHE_CHANGE_TAGS_MAX,
  CacheChanged,
  TransferListed,
  BusinessDateAdvanced,
  decodePayload,
  InstallmentRepaid,
  LoanDisbursed,
  LoanFullyFunded,
  LoanOpened,
  RISK_ANSWER_TEXT_LENGTH_MAX,
  ReminderDue,
  RiskAnswered,
  RechargeSucceeded,
  UserRegistered,
  UserTokensRevoked,
} from '../src/contracts';

const loanId = newId();
const bid = (amountFen: string, bidId = newId()) => ({ bidId, investorId: newId(), amountFen });

function disbursed(bidCount: number) {
  return {
    loanId: newId(),
    loanNo: 'LN0001',
    borrowerId: newId(),
    amountFen: String(bidCount * 10_000),
    annualRateMicros: 150_000,
    investorRateMicros: 100_000,
    termMonths: 12,
    repaymentMethod: 'EQUAL_INSTALLMENT',
    disbursedAt: '2026-01-15T00:00:00.000Z',
    feeFen: '0',
    bids: Array.from({ length: bidCount }, () => bid('10000')),
  };
}

const opened = () => {
  const { disbursedAt, feeFen, bids, ...terms } = disbursed(1);
  return { ...terms, openedAt: disbursedAt };
};

describe('event contracts', () => {
  it('define one schema per event type and version', () => {
    const keys = ALL_CONTRACTS.map((contract) => `${contract.type}@${contract.version}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(keys.length, 26);
  });

  it('carry a read-cache change as entity tags, bounded, or as all of a subgraph', () => {
    const change = { subgraph: 'bids', tags: [`Loan:${newId()}`, `Bid:${newId()}`], all: false };
    assert.deepEqual(decodePayload(CacheChanged, change), { ok: true, payload: change });
    assert.equal(decodePayload(CacheChanged, { subgraph: 'bids', tags: [], all: true }).ok, true);
    const tooMany = Array.from({ length: CACHE_CHANGE_TAGS_MAX + 1 }, () => `Loan:${newId()}`);
    for (const tags of [tooMany, ['Loan'], ['Loan:a b'], [':x']])
      assert.equal(decodePayload(CacheChanged, { subgraph: 'bids', tags, all: false }).ok, false, tags[0]);
  });

  it('carry a claim transfer with its amounts as integer fen, the price positive', () => {
    const listed = {
      transferId: newId(),
      bidId: newId(),
      loanId: newId(),
      sellerId: newId(),
      principalFen: '553345',
      priceFen: '553345',
      feeFen: '2767',
      listedAt: new Date().toISOString(),
    };
    assert.deepEqual(decodePayload(TransferListed, listed), { ok: true, payload: listed });
    for (const priceFen of ['0', '5533.45', '-1'])
      assert.equal(decodePayload(TransferListed, { ...listed, priceFen }).ok, false, priceFen);
  });

  it('accept a well-formed payload as it is', () => {
    const payload = opened();
    assert.deepEqual(decodePayload(LoanOpened, payload), { ok: true, payload });
    const userId = newId();
    assert.ok(decodePayload(UserRegistered, { userId, role: 'BORROWER', registeredAt: new Date().toISOString() }).ok);
    assert.ok(decodePayload(BusinessDateAdvanced, { date: '2026-02-28' }).ok);
    assert.ok(decodePayload(UserTokensRevoked, { userId, revokedAt: new Date().toISOString() }).ok);
    assert.ok(!decodePayload(UserTokensRevoked, { userId, revokedAt: 'yesterday' }).ok);
    const reminder = {
      reminderId: newId(),
      kind: 'OVERDUE_SMS',
      borrowerId: newId(),
      loanId: newId(),
      loanNo: 'LN20261205ABCD1234',
      installmentId: newId(),
      period: 2,
      dueDate: '2027-02-05',
      owedFen: '170851',
      overdueDays: 1,
    };
    assert.ok(decodePayload(ReminderDue, reminder).ok);
    // Staff tasks are the workbench's, never a text.
    assert.ok(!decodePayload(ReminderDue, { ...reminder, kind: 'OVERDUE_PHONE_TASK' }).ok);
    const answer = {
      answerId: 'RSK0123abcd',
      applicationId: newId(),
      score: 830,
      decision: 'APPROVED',
      limitFen: '16000000',
      assessedAt: new Date().toISOString(),
      rawAnswer: '{"messageType":"RISK_ASSESSMENT_ANSWER"}',
    };
    assert.ok(decodePayload(RiskAnswered, answer).ok);
    assert.ok(!decodePayload(RiskAnswered, { ...answer, decision: 'MAYBE' }).ok);
    assert.ok(!decodePayload(RiskAnswered, { ...answer, rawAnswer: 'x'.repeat(RISK_ANSWER_TEXT_LENGTH_MAX + 1) }).ok);
  });

  it('refuse a missing field and say which', () => {
    const { amountFen, ...missing } = opened();
    const decoded = decodePayload(LoanOpened, missing);
    assert.equal(decoded.ok, false);
    assert.match(decoded.ok ? '' : decoded.reason, /^loans\.loan\.opened v1: amountFen: Required/);
  });

  it('refuse money that is not integer fen in a string of digits', () => {
    for (const amountFen of ['100.50', '1e5', '-100', '0100', '', ' 100', 100]) {
      const decoded = decodePayload(RechargeSucceeded, { userId: newId(), requestNo: 'RC1', amountFen });
      assert.equal(decoded.ok, false, JSON.stringify(amountFen));
      assert.match(decoded.ok ? '' : decoded.reason, /amountFen/);
    }
    const repaid = {
      installmentId: newId(),
      loanId,
      borrowerId: newId(),
      period: 1,
      amountFen: '10000',
      penaltyFen: '12.5',
      repaidAt: new Date().toISOString(),
      collectionRequestNo: `RP${'A'.repeat(32)}`,
    };
    assert.equal(decodePayload(InstallmentRepaid, repaid).ok, false);
    assert.ok(decodePayload(InstallmentRepaid, { ...repaid, penaltyFen: '0' }).ok);
  });

  it('let an unknown field through within a version, without handing it to the consumer', () => {
    const payload = opened();
    const decoded = decodePayload(LoanOpened, { ...payload, addedInAMinorChange: 'x' });
    assert.deepEqual(decoded, { ok: true, payload });
  });

  it('refuse fully-funded bids whose sums disagree, bad amounts and ids, duplicates and empty lists', () => {
    const duplicate = newId();
    const refused: Record<string, unknown>[] = [
      { loanId, raisedFen: '300000', bids: [bid('100000'), bid('100000')] },
      { loanId, raisedFen: '300000', bids: [bid('300000.00')] },
      { loanId, raisedFen: '300000', bids: [bid('-300000')] },
      { loanId, raisedFen: '0', bids: [bid('0')] },
      { loanId, raisedFen: 300000, bids: [bid('300000')] },
      { loanId: 'loan-1', raisedFen: '300000', bids: [bid('300000')] },
      { loanId, raisedFen: '300000', bids: [{ ...bid('300000'), investorId: 'x' }] },
      { loanId, raisedFen: '200000', bids: [bid('100000', duplicate), bid('100000', duplicate)] },
      { loanId, raisedFen: '300000', bids: [] },
      { loanId, raisedFen: '300000' },
    ];
    for (const payload of refused)
      assert.equal(decodePayload(LoanFullyFunded, payload).ok, false, JSON.stringify(payload));
    assert.ok(decodePayload(LoanFullyFunded, { loanId, raisedFen: '300000', bids: [bid('100000'), bid('200000')] }).ok);
  });

  it('take as many bids as a loan may hold (LOAN_BIDS_MAX), not one more', () => {
    const most = Array.from({ length: LOAN_BIDS_MAX }, () => bid('10000'));
    assert.ok(decodePayload(LoanFullyFunded, { loanId, raisedFen: String(LOAN_BIDS_MAX * 10_000), bids: most }).ok);
    const tooMany = { loanId, raisedFen: String((LOAN_BIDS_MAX + 1) * 10_000), bids: [...most, bid('10000')] };
    assert.equal(decodePayload(LoanFullyFunded, tooMany).ok, false);
    assert.ok(decodePayload(LoanDisbursed, disbursed(LOAN_BIDS_MAX)).ok);
    assert.equal(decodePayload(LoanDisbursed, disbursed(LOAN_BIDS_MAX + 1)).ok, false);
  });

  it('refuse a disbursement whose investors earn more than the borrower pays, or whose bids do not add up', () => {
    assert.equal(decodePayload(LoanDisbursed, { ...disbursed(2), investorRateMicros: 150_001 }).ok, false);
    assert.equal(decodePayload(LoanDisbursed, { ...disbursed(2), amountFen: '20001' }).ok, false);
  });

  it('accept an opened account only with the userNo derived from the user id', () => {
    const userId = newId();
    assert.ok(decodePayload(AccountOpened, { userId, userNo: bankUserNoFor(userId) }).ok);
    assert.equal(decodePayload(AccountOpened, { userId, userNo: 'SOMEONEELSE' }).ok, false);
    assert.equal(decodePayload(AccountOpened, { userId: 'nope', userNo: 'NOPE' }).ok, false);
  });
});
