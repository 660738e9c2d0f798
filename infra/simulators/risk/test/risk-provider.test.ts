// Proves the risk provider over HTTP, on libsql and MariaDB: a signed request is accepted at once (202,
// the answerId) and the answer {answerId, applicationId, score, decision, limitFen} arrives later by a
// callback signed with the provider's key, retried until acknowledged; the same application asked again
// gets the same answer; while switched down it answers UNAVAILABLE and afterwards completes what was
// pending; a restart keeps pending callbacks; unsigned, altered, foreign, stale and replayed requests are
// refused with their codes, and malformed data is BAD_REQUEST.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKindsUnderTest, waitFor } from '@wanxin/platform/testing';
import { openIdentityResult } from '@wanxin/platform/identity-protocol';
import { ProviderSignatureError, RISK_MESSAGE_TYPES, RISK_PATHS } from '@wanxin/platform/risk-protocol';
import { describeSigningRefusals, switchOutage } from '@wanxin/simulator-kit/testing';
import { approvableApplicant, assessmentRequest, startRiskHarness, type RiskHarness } from '../src/testing';

function switchRiskOutage(harness: RiskHarness, downForMs: unknown): Promise<number> {
  return switchOutage(`${harness.provider.url}${RISK_PATHS.outage}`, downForMs);
}

function answersAbout(harness: RiskHarness, applicationId: string) {
  return harness.results().filter((answer) => answer.applicationId === applicationId);
}

async function waitForAnswer(harness: RiskHarness, applicationId: string, count = 1): Promise<void> {
  await waitFor(() => answersAbout(harness, applicationId).length >= count, {
    timeoutMs: 10_000,
    what: `${count} answers about ${applicationId}`,
  });
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`risk provider on ${kind}`, { skip }, () => {
    let harness: RiskHarness;
    before(async () => {
      // The platform refuses the first two deliveries; retries follow after 5 ms, 10 ms.
      harness = await startRiskHarness(kind, { failFirst: 2 });
    });
    after(async () => {
      await harness?.stop();
    });

    test('a request is accepted at once; the answer is called back, retried until acknowledged', async () => {
      const request = assessmentRequest(harness.receiver.url);
      const receipt = await harness.ask(request);
      assert.deepEqual([receipt.status, receipt.code], [202, 'ACCEPTED']);
      const [acknowledged] = await harness.receiver.waitForAcknowledged(1);
      assert.equal(harness.receiver.received.length, 3, 'two refused deliveries, then the acknowledged one');
      assert.equal(new Set(harness.receiver.received.map((delivery) => delivery.envelope.nonce)).size, 3);
      const [answer] = harness.results();
      assert.deepEqual(
        [answer.answerId, answer.applicationId, answer.score, answer.decision, answer.limitFen],
        [receipt.reference, request.applicationId, 810, 'APPROVED', '16000000'],
      );
      assert.throws(() => openIdentityResult(acknowledged, harness.provider.publicKeyPem), ProviderSignatureError);
    });

    test('an applicant under 600 is REJECTED with no limit', async () => {
      const request = assessmentRequest(harness.receiver.url, {
        applicant: approvableApplicant({ identityVerified: false, monthlyIncomeFen: '100000', education: null }),
      });
      assert.equal((await harness.ask(request)).code, 'ACCEPTED');
      await waitForAnswer(harness, request.applicationId);
      const [answer] = answersAbout(harness, request.applicationId);
      assert.deepEqual([answer.score, answer.decision, answer.limitFen], [500, 'REJECTED', '0']);
    });

    test('the same application asked again gets the same answer, whatever the applicant says now', async () => {
      const request = assessmentRequest(harness.receiver.url);
      const first = await harness.ask(request);
      await waitForAnswer(harness, request.applicationId);
      const again = await harness.ask({ ...request, applicant: approvableApplicant({ monthlyIncomeFen: '0' }) });
      assert.equal(again.reference, first.reference);
      await waitForAnswer(harness, request.applicationId, 2);
      const [one, two] = answersAbout(harness, request.applicationId);
      assert.deepEqual(two, one);
      assert.equal(one.answerId, first.reference);
    });

    test('switched down it answers UNAVAILABLE; switched up it completes what was pending', async () => {
      harness.receiver.refuseNext(1_000);
      const pending = assessmentRequest(harness.receiver.url);
      assert.equal((await harness.ask(pending)).code, 'ACCEPTED');
      assert.equal(await switchRiskOutage(harness, 600_000), 200);
      const refused = await harness.ask(assessmentRequest(harness.receiver.url));
      assert.deepEqual([refused.status, refused.code, refused.reference], [503, 'UNAVAILABLE', null]);
      harness.receiver.refuseNext(0);
      assert.equal(await switchRiskOutage(harness, 0), 200);
      await waitForAnswer(harness, pending.applicationId);
      const reasked = await harness.ask(assessmentRequest(harness.receiver.url));
      assert.equal(reasked.code, 'ACCEPTED');
      assert.equal(await switchRiskOutage(harness, -1), 400);
      assert.equal(await switchRiskOutage(harness, 'soon'), 400);
    });

    test('a restart keeps the callbacks still pending: they arrive from the restarted provider', async () => {
      harness.receiver.refuseNext(1_000);
      const seen = harness.receiver.received.length;
      const request = assessmentRequest(harness.receiver.url);
      const receipt = await harness.ask(request);
      await waitFor(() => harness.receiver.received.length >= seen + 2, {
        timeoutMs: 10_000,
        what: 'two refused deliveries',
      });
      await harness.restart();
      harness.receiver.refuseNext(0);
      await waitForAnswer(harness, request.applicationId);
      assert.deepEqual(
        answersAbout(harness, request.applicationId).map((answer) => answer.answerId),
        [receipt.reference],
      );
    });

    test('malformed data is BAD_REQUEST', async () => {
      const url = harness.receiver.url;
      const applicant = approvableApplicant();
      for (const request of [
        { ...assessmentRequest(url), applicationId: '' },
        { ...assessmentRequest(url), applicant: { ...applicant, monthlyIncomeFen: 800000 } },
        { ...assessmentRequest(url), applicant: { ...applicant, monthlyIncomeFen: '-1' } },
        { ...assessmentRequest(url), applicant: { ...applicant, age: 30.5 } },
        { ...assessmentRequest(url), applicant: { ...applicant, identityVerified: 'yes' } },
        { ...assessmentRequest(url), callbackUrl: 'ftp://platform/callback' },
      ]) {
        const receipt = await harness.post(harness.platform.sign(RISK_MESSAGE_TYPES.request, request));
        assert.deepEqual([receipt.status, receipt.code, receipt.reference], [400, 'BAD_REQUEST', null]);
      }
    });
  });

  describeSigningRefusals(
    `risk provider refuses what the platform did not sign, on ${kind}`,
    skip,
    () => startRiskHarness(kind),
    (callbackUrl) => assessmentRequest(callbackUrl),
    RISK_MESSAGE_TYPES.request,
  );
}
