// Proves the identity provider over HTTP, on libsql and MariaDB: a signed request is accepted at once
// (202 and a reference) and its decision arrives later by a callback signed with the provider's key;
// callbacks the platform does not acknowledge are retried (freshly signed) until it does; a restart
// keeps the callbacks still pending; the rule holds over the wire; unsigned, altered, foreign, stale
// and replayed requests are refused with their codes; and malformed data is BAD_REQUEST.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKindsUnderTest, waitFor } from '@wanxin/platform/testing';
import { IDENTITY_IMAGE_BYTES_MAX, IDENTITY_MESSAGE_TYPES } from '@wanxin/platform/identity-protocol';
import { openRiskAnswer, ProviderSignatureError } from '@wanxin/platform/risk-protocol';
import { describeSigningRefusals } from '@wanxin/simulator-kit/testing';
import { idNumberOf, jpegImage, startIdentityHarness, verificationRequest, type IdentityHarness } from '../src/testing';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`identity provider on ${kind}`, { skip }, () => {
    let harness: IdentityHarness;
    before(async () => {
      // The platform refuses the first two deliveries; retries follow after 5 ms, 10 ms.
      harness = await startIdentityHarness(kind, { failFirst: 2 });
    });
    after(async () => {
      await harness?.stop();
    });

    test('a request is accepted at once; its result is called back, retried until acknowledged', async () => {
      const request = verificationRequest(harness.receiver.url);
      const receipt = await harness.ask(request);
      assert.deepEqual([receipt.status, receipt.code], [202, 'ACCEPTED']);
      assert.match(receipt.reference ?? '', /^IDV[0-9a-f]{24}$/);
      const [acknowledged] = await harness.receiver.waitForAcknowledged(1);
      assert.equal(harness.receiver.received.length, 3, 'two refused deliveries, then the acknowledged one');
      const nonces = new Set(harness.receiver.received.map((delivery) => delivery.envelope.nonce));
      assert.equal(nonces.size, 3, 'each attempt is signed afresh');
      const datas = new Set(harness.receiver.received.map((delivery) => delivery.envelope.data));
      assert.equal(datas.size, 1, 'every attempt carries the same result');
      const [result] = harness.results();
      assert.deepEqual(
        [result.reference, result.requestId, result.status, result.reason],
        [receipt.reference, request.requestId, 'VERIFIED', null],
      );
      assert.throws(() => openRiskAnswer(acknowledged, harness.provider.publicKeyPem), ProviderSignatureError);
      await waitFor(async () => (await harness.provider.callbackCounts()).DELIVERED === 1, {
        timeoutMs: 5_000,
        what: 'the callback is DELIVERED',
      });
    });

    test('the rule holds over the wire: sequence 999 and a face equal to the front are REJECTED', async () => {
      const seen = harness.receiver.acknowledged().length;
      const unknown = verificationRequest(harness.receiver.url, { idNumber: idNumberOf('19900101', '999') });
      const sameFace = verificationRequest(harness.receiver.url, {
        faceImage: jpegImage('front').toString('base64'),
      });
      for (const request of [unknown, sameFace]) assert.equal((await harness.ask(request)).code, 'ACCEPTED');
      await harness.receiver.waitForAcknowledged(seen + 2);
      const byRequest = new Map(harness.results().map((result) => [result.requestId, result]));
      assert.deepEqual(
        [byRequest.get(unknown.requestId)?.reason, byRequest.get(sameFace.requestId)?.reason],
        ['ID_NUMBER_UNKNOWN', 'FACE_MISMATCH'],
      );
    });

    test('asking again about a requestId answers the same reference and calls the result back again', async () => {
      const request = verificationRequest(harness.receiver.url);
      const first = await harness.ask(request);
      const count = harness.receiver.acknowledged().length;
      await harness.receiver.waitForAcknowledged(count + 1);
      const again = await harness.ask(request);
      assert.equal(again.reference, first.reference);
      await harness.receiver.waitForAcknowledged(count + 2);
      const results = harness.results().filter((result) => result.requestId === request.requestId);
      assert.equal(results.length, 2);
      assert.deepEqual(results[0], results[1], 'the same result');
    });

    test('malformed data is BAD_REQUEST: empty, non-base64 or too large images, a missing field', async () => {
      const url = harness.receiver.url;
      const tooLarge = Buffer.alloc(IDENTITY_IMAGE_BYTES_MAX + 1, 0xff).toString('base64');
      const { callbackUrl: _omitted, ...withoutCallback } = verificationRequest(url);
      for (const request of [
        verificationRequest(url, { faceImage: '' }),
        verificationRequest(url, { idBackImage: 'not base64!' }),
        verificationRequest(url, { idFrontImage: tooLarge }),
        verificationRequest(url, { requestId: 'has space' }),
        withoutCallback,
      ]) {
        const receipt = await harness.post(harness.platform.sign(IDENTITY_MESSAGE_TYPES.request, request));
        assert.deepEqual([receipt.status, receipt.code, receipt.reference], [400, 'BAD_REQUEST', null]);
      }
    });

    test('a restart keeps the callbacks still pending: they arrive from the restarted provider', async () => {
      harness.receiver.refuseNext(1_000);
      const refusedBefore = harness.receiver.received.length;
      const request = verificationRequest(harness.receiver.url);
      const receipt = await harness.ask(request);
      await waitFor(() => harness.receiver.received.length >= refusedBefore + 2, {
        timeoutMs: 10_000,
        what: 'two refused deliveries',
      });
      await harness.restart();
      harness.receiver.refuseNext(0);
      await waitFor(() => harness.results().some((result) => result.requestId === request.requestId), {
        timeoutMs: 10_000,
        what: 'the pending result arrived from the restarted provider',
      });
      const delivered = harness.results().filter((result) => result.requestId === request.requestId);
      assert.deepEqual(
        delivered.map((result) => result.reference),
        [receipt.reference],
      );
    });
  });

  describeSigningRefusals(
    `identity provider refuses what the platform did not sign, on ${kind}`,
    skip,
    () => startIdentityHarness(kind),
    (callbackUrl) => verificationRequest(callbackUrl),
    IDENTITY_MESSAGE_TYPES.request,
  );
}
