// Proves the credit-application rules: who may apply (FORBIDDEN for a non-borrower, CONFLICT for identity,
// profile or an open application, in that order); the lifecycle SUBMITTED → MANUAL_REJECTED | RISK_PENDING →
// RISK_REJECTED | APPROVED, with a reason required to refuse and a second review a CONFLICT; risk answers
// applied once by answer id whatever order and how often they arrive; and the bounded re-asking schedule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isClientError, ROLES } from '@wanxin/platform';
import { UserErrors } from '../src/domain/errors';
import {
  applyRiskAnswer,
  CREDIT_APPLICATION_STATUSES,
  creditApplyRefusal,
  isOpenCreditApplication,
  isRiskAnswerOverdue,
  isRiskAskDue,
  nextRiskAskAt,
  REVIEW_REASON_LENGTH_MAX,
  reviewCreditApplication,
  RISK_LIMIT_MAX_FEN,
  RISK_REASK_POLICY,
  riskAnswerProblem,
  type ApplicantState,
  type CreditApplicationStatus,
  type RiskAnswer,
  type RiskAnswerTarget,
} from '../src/domain/credit-application';

const READY: ApplicantState = {
  role: 'BORROWER',
  identityStatus: 'VERIFIED',
  profileComplete: true,
  hasOpenApplication: false,
};

test('a verified borrower with a complete profile and nothing open may apply', () => {
  assert.equal(creditApplyRefusal(READY), null);
});

test('refusals come in path order, each with its contract code', () => {
  const cases: [ApplicantState, string, string][] = [
    [{ ...READY, role: 'INVESTOR', identityStatus: null }, 'NOT_BORROWER', 'FORBIDDEN'],
    [{ ...READY, role: 'ADMIN' }, 'NOT_BORROWER', 'FORBIDDEN'],
    [{ ...READY, identityStatus: null, profileComplete: false }, 'IDENTITY_NOT_VERIFIED', 'CONFLICT'],
    [{ ...READY, identityStatus: 'PENDING' }, 'IDENTITY_NOT_VERIFIED', 'CONFLICT'],
    [{ ...READY, identityStatus: 'REJECTED' }, 'IDENTITY_NOT_VERIFIED', 'CONFLICT'],
    [{ ...READY, profileComplete: false, hasOpenApplication: true }, 'PROFILE_INCOMPLETE', 'CONFLICT'],
    [{ ...READY, hasOpenApplication: true }, 'APPLICATION_OPEN', 'CONFLICT'],
  ];
  for (const [applicant, rule, code] of cases) {
    const refusal = creditApplyRefusal(applicant);
    assert.equal(refusal?.rule, rule, JSON.stringify(applicant));
    assert.ok(refusal !== null && isClientError(UserErrors.creditApplyRefused(refusal), code as 'CONFLICT'), rule);
  }
  assert.ok(ROLES.every((role) => (creditApplyRefusal({ ...READY, role }) === null) === (role === 'BORROWER')));
});

test('open applications are SUBMITTED and RISK_PENDING only', () => {
  const open = CREDIT_APPLICATION_STATUSES.filter(isOpenCreditApplication);
  assert.deepEqual(open, ['SUBMITTED', 'RISK_PENDING']);
});

test('review: approve sends a SUBMITTED application to the risk provider, refuse needs a reason', () => {
  assert.deepEqual(reviewCreditApplication('SUBMITTED', true, undefined), {
    ok: true,
    status: 'RISK_PENDING',
    reason: null,
  });
  assert.deepEqual(reviewCreditApplication('SUBMITTED', false, '  收入证明不足 '), {
    ok: true,
    status: 'MANUAL_REJECTED',
    reason: '收入证明不足',
  });
  for (const reason of [undefined, null, '', '   ']) {
    const result = reviewCreditApplication('SUBMITTED', false, reason);
    assert.ok(!result.ok);
    assert.deepEqual(result.refusal, { rule: 'REASON_REQUIRED' });
    assert.ok(isClientError(UserErrors.reviewRefused('app-1', result.refusal), 'BAD_USER_INPUT'));
  }
  assert.ok(reviewCreditApplication('SUBMITTED', false, '理'.repeat(REVIEW_REASON_LENGTH_MAX)).ok);
  const tooLong = reviewCreditApplication('SUBMITTED', false, '理'.repeat(REVIEW_REASON_LENGTH_MAX + 1));
  assert.ok(!tooLong.ok && tooLong.refusal.rule === 'REASON_TOO_LONG');
});

test('a second review of any already-reviewed application is a CONFLICT, whatever either decision', () => {
  const reviewed: CreditApplicationStatus[] = ['MANUAL_REJECTED', 'RISK_PENDING', 'RISK_REJECTED', 'APPROVED'];
  for (const status of reviewed) {
    for (const approve of [true, false]) {
      const result = reviewCreditApplication(status, approve, 'again');
      assert.ok(!result.ok, `${status} ${approve}`);
      assert.deepEqual(result.refusal, { rule: 'NOT_SUBMITTED', status });
      const error = UserErrors.reviewRefused('app-1', result.refusal);
      assert.ok(isClientError(error, 'CONFLICT'));
      assert.equal(error.extensions.status, status);
    }
  }
});

const APPROVAL: RiskAnswer = { answerId: 'ans-1', approved: true, score: 720, limitFen: 30_000_000n };
const REFUSAL: RiskAnswer = { answerId: 'ans-2', approved: false, score: 540, limitFen: 0n };

test('answers that break the provider contract are found before they are applied', () => {
  assert.equal(riskAnswerProblem(APPROVAL), null);
  assert.equal(riskAnswerProblem(REFUSAL), null);
  for (const answer of [
    { ...APPROVAL, answerId: '' },
    { ...APPROVAL, score: 299 },
    { ...APPROVAL, score: 901 },
    { ...APPROVAL, score: 700.5 },
    { ...APPROVAL, limitFen: 0n },
    { ...APPROVAL, limitFen: RISK_LIMIT_MAX_FEN + 1n },
    { ...REFUSAL, limitFen: 100n },
  ]) {
    assert.notEqual(
      riskAnswerProblem(answer),
      null,
      JSON.stringify(answer, (_, value) => String(value)),
    );
  }
  assert.throws(() => applyRiskAnswer({ status: 'RISK_PENDING', answerId: null }, { ...APPROVAL, score: 1 }));
});

test('an answer settles a RISK_PENDING application; the same answer again is a duplicate', () => {
  const pending: RiskAnswerTarget = { status: 'RISK_PENDING', answerId: null };
  assert.deepEqual(applyRiskAnswer(pending, APPROVAL), { kind: 'SETTLE', status: 'APPROVED' });
  assert.deepEqual(applyRiskAnswer(pending, REFUSAL), { kind: 'SETTLE', status: 'RISK_REJECTED' });
  assert.deepEqual(applyRiskAnswer({ status: 'APPROVED', answerId: 'ans-1' }, APPROVAL), { kind: 'DUPLICATE' });
  assert.deepEqual(applyRiskAnswer({ status: 'RISK_REJECTED', answerId: 'ans-2' }, REFUSAL), { kind: 'DUPLICATE' });
});

test('a second, different answer or one for an application not sent yet is ignored, never applied', () => {
  assert.deepEqual(applyRiskAnswer({ status: 'APPROVED', answerId: 'ans-1' }, REFUSAL), {
    kind: 'IGNORED',
    status: 'APPROVED',
  });
  assert.deepEqual(applyRiskAnswer({ status: 'RISK_REJECTED', answerId: 'ans-2' }, { ...APPROVAL, answerId: 'x' }), {
    kind: 'IGNORED',
    status: 'RISK_REJECTED',
  });
  assert.deepEqual(applyRiskAnswer({ status: 'SUBMITTED', answerId: null }, APPROVAL), {
    kind: 'IGNORED',
    status: 'SUBMITTED',
  });
  assert.deepEqual(applyRiskAnswer({ status: 'MANUAL_REJECTED', answerId: null }, APPROVAL), {
    kind: 'IGNORED',
    status: 'MANUAL_REJECTED',
  });
  assert.throws(() => applyRiskAnswer({ status: 'APPROVED', answerId: null }, APPROVAL), /exactly when/);
});

test('any sequence of deliveries settles an application at most once, by the first answer (property)', () => {
  const answerArbitrary = fc.record({
    answerId: fc.constantFrom('a', 'b', 'c'),
    approved: fc.boolean(),
    score: fc.integer({ min: 300, max: 900 }),
  });
  fc.assert(
    fc.property(fc.array(answerArbitrary, { minLength: 1, maxLength: 30 }), (deliveries) => {
      let target: RiskAnswerTarget = { status: 'RISK_PENDING', answerId: null };
      let settlements = 0;
      for (const delivery of deliveries) {
        const answer = { ...delivery, limitFen: delivery.approved ? 10_000n : 0n };
        const outcome = applyRiskAnswer(target, answer);
        if (outcome.kind === 'SETTLE') {
          settlements += 1;
          target = { status: outcome.status, answerId: answer.answerId };
        } else if (outcome.kind === 'DUPLICATE') {
          assert.equal(target.answerId, answer.answerId);
        }
      }
      assert.equal(settlements, 1);
      assert.equal(target.status, deliveries[0].approved ? 'APPROVED' : 'RISK_REJECTED');
      assert.equal(target.answerId, deliveries[0].answerId);
    }),
  );
});

test('an unanswered application is asked again after 30 s, doubling to 10 min, 20 asks in all', () => {
  const askedAt = new Date('2026-11-22T08:00:00Z');
  const asking = { status: 'RISK_PENDING' as const, asksSent: 1, lastAskedAt: askedAt };
  assert.equal(nextRiskAskAt(asking)?.getTime(), askedAt.getTime() + 30_000);
  // The first ask is due when the review approves; the re-asks follow the curve.
  assert.equal(nextRiskAskAt({ ...asking, asksSent: 0 })?.getTime(), askedAt.getTime());
  assert.ok(isRiskAskDue({ ...asking, asksSent: 0 }, askedAt));
  assert.ok(!isRiskAskDue(asking, new Date(askedAt.getTime() + 29_999)));
  assert.ok(isRiskAskDue(asking, new Date(askedAt.getTime() + 30_000)));
  assert.equal(nextRiskAskAt({ ...asking, asksSent: 2 })?.getTime(), askedAt.getTime() + 60_000);
  assert.equal(nextRiskAskAt({ ...asking, asksSent: 10 })?.getTime(), askedAt.getTime() + 600_000);
  assert.equal(RISK_REASK_POLICY.attemptsMax, 20);
  assert.notEqual(nextRiskAskAt({ ...asking, asksSent: 19 }), null);
  assert.equal(nextRiskAskAt({ ...asking, asksSent: 20 }), null);
  assert.ok(!isRiskAskDue({ ...asking, asksSent: 20 }, new Date('2030-01-01T00:00:00Z')));
  assert.ok(isRiskAnswerOverdue({ ...asking, asksSent: 20 }));
  assert.ok(!isRiskAnswerOverdue({ ...asking, asksSent: 19 }));
});

test('settled or unreviewed applications are never asked', () => {
  const lastAskedAt = new Date('2026-11-22T08:00:00Z');
  for (const status of CREDIT_APPLICATION_STATUSES.filter((status) => status !== 'RISK_PENDING')) {
    const asking = { status, asksSent: status === 'SUBMITTED' || status === 'MANUAL_REJECTED' ? 0 : 1, lastAskedAt };
    assert.equal(nextRiskAskAt(asking), null, status);
    assert.ok(!isRiskAnswerOverdue({ ...asking, asksSent: 20 }), status);
  }
});
