// Proves the risk simulator's documented rule (domain/score.ts): the score's parts, its bounds, the
// approval threshold at 600, and the limit min(20 × monthly income, 500,000.00) rounded down to 100.00.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RISK_SCORE_MAX, RISK_SCORE_MIN } from '@wanxin/platform/risk-protocol';
import { APPROVAL_SCORE_MIN, assessApplicant, creditLimitFen, LIMIT_MAX_FEN, riskScore } from '../src';
import { approvableApplicant } from '../src/testing';

test('the score adds identity, age, income, employment and education to 300', () => {
  // 300 + 150 (verified) + 100 (age 25–34) + 120 (income ≥ 8,000.00) + 100 (employed) + 40 (bachelor)
  assert.equal(riskScore(approvableApplicant()), 810);
  assert.equal(riskScore(approvableApplicant({ identityVerified: false })), 660);
  assert.equal(riskScore(approvableApplicant({ age: 17 })), 710);
  assert.equal(riskScore(approvableApplicant({ age: 40 })), 830);
  assert.equal(riskScore(approvableApplicant({ monthlyIncomeFen: '199999' })), 690);
  assert.equal(riskScore(approvableApplicant({ position: null })), 760);
  assert.equal(riskScore(approvableApplicant({ employer: ' ', position: null })), 710);
  assert.equal(riskScore(approvableApplicant({ education: 'master' })), 820);
  assert.equal(riskScore(approvableApplicant({ education: null })), 770);
});

test('the score stays within 300 and 900', () => {
  const nothing = {
    age: 0,
    monthlyIncomeFen: '0',
    employer: null,
    position: null,
    identityVerified: false,
    education: null,
  };
  assert.equal(riskScore(nothing), RISK_SCORE_MIN);
  const everything = approvableApplicant({ age: 40, monthlyIncomeFen: '9000000', education: 'DOCTORATE' });
  assert.equal(riskScore(everything), RISK_SCORE_MAX);
});

test('600 approves with the limit; 590 (points come in tens) refuses with none', () => {
  // 300 + 150 + 40 (age 18–24) + 40 (income ≥ 2,000.00) + 50 (employer only) + 10 (high school) = 590
  const below = approvableApplicant({ age: 20, monthlyIncomeFen: '250000', position: null, education: 'HIGH_SCHOOL' });
  assert.deepEqual(assessApplicant(below), { score: 590, decision: 'REJECTED', limitFen: 0n });
  const at = { ...below, education: 'BACHELOR' };
  assert.deepEqual(assessApplicant(at), { score: 620, decision: 'APPROVED', limitFen: 5_000_000n });
  // 300 + 150 + 100 (age 25–34) + 40 (income ≥ 2,000.00) + 0 (no employment) + 10 (high school) = 600
  const exactly = { ...below, age: 30, employer: null, position: null };
  assert.equal(riskScore(exactly), APPROVAL_SCORE_MIN);
  assert.equal(assessApplicant(exactly).decision, 'APPROVED');
});

test('a high score with an income granting no limit refuses: an approval always lends something', () => {
  // 300 + 150 + 100 (age 25–34) + 0 (no income) + 100 (employed) + 40 (bachelor) = 690, limit 0
  const noIncome = approvableApplicant({ monthlyIncomeFen: '0' });
  assert.deepEqual(assessApplicant(noIncome), { score: 690, decision: 'REJECTED', limitFen: 0n });
  // 4.99 a month → 99.80 → rounded down to 0; 5.00 → 100.00
  assert.equal(assessApplicant(approvableApplicant({ monthlyIncomeFen: '499' })).decision, 'REJECTED');
  const smallest = assessApplicant(approvableApplicant({ monthlyIncomeFen: '500' }));
  assert.deepEqual([smallest.decision, smallest.limitFen], ['APPROVED', 10_000n]);
});

test('the limit is 20 × income, at most 500,000.00, rounded down to 100.00', () => {
  assert.equal(creditLimitFen(800_000n), 16_000_000n);
  assert.equal(creditLimitFen(123_456n), 2_460_000n, '24,691.20 rounds down to 24,600.00');
  assert.equal(creditLimitFen(499n), 0n);
  assert.equal(creditLimitFen(2_500_000n), LIMIT_MAX_FEN);
  assert.equal(creditLimitFen(10n ** 15n), LIMIT_MAX_FEN);
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (incomeFen) => {
      const limitFen = creditLimitFen(incomeFen);
      return (
        limitFen % 10_000n === 0n &&
        limitFen <= LIMIT_MAX_FEN &&
        limitFen <= 20n * incomeFen &&
        (limitFen === LIMIT_MAX_FEN || 20n * incomeFen - limitFen < 10_000n)
      );
    }),
  );
});

test('the same applicant always gets the same assessment', () => {
  fc.assert(
    fc.property(
      fc.record({
        age: fc.integer({ min: 0, max: 150 }),
        monthlyIncomeFen: fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String),
        employer: fc.option(fc.string({ maxLength: 10 })),
        position: fc.option(fc.string({ maxLength: 10 })),
        identityVerified: fc.boolean(),
        education: fc.option(fc.constantFrom('BACHELOR', 'MASTER', 'other')),
      }),
      (applicant) => {
        const first = assessApplicant(applicant);
        assert.deepEqual(assessApplicant({ ...applicant }), first);
        assert.ok(first.score >= RISK_SCORE_MIN && first.score <= RISK_SCORE_MAX);
        const lends = creditLimitFen(BigInt(applicant.monthlyIncomeFen)) > 0n;
        assert.equal(first.decision === 'APPROVED', first.score >= APPROVAL_SCORE_MIN && lends);
        assert.equal(first.limitFen > 0n, first.decision === 'APPROVED');
      },
    ),
  );
});
