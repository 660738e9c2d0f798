// Identity verification over HTTP on libsql and MariaDB with the identity provider in-process: a check goes
// PENDING → VERIFIED (name and ID number set, `users.identity.verified` in the outbox) or REJECTED by the
// provider's rule; an ID number belongs to one user; every refused input names its field and records
// nothing; and the callback endpoint refuses unsigned, tampered, replayed and unknown results while
// applying a repeated one once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, newId, OutboxMessage } from '@wanxin/platform';
import { IDENTITY_MESSAGE_TYPES, signProviderMessage } from '@wanxin/platform/identity-protocol';
import { decodePayload, IdentityVerified } from '@wanxin/platform/contracts';
import { databaseKindsUnderTest, dataOf, errorCodes, eventually } from '@wanxin/platform/testing';
import { idNumberOf, jpegImage } from '@wanxin/identity-simulator/testing';
import {
  callAsGateway,
  registerUser,
  startUsersWithProviders,
  verifiableIdentityInput,
  type UsersWithProviders,
} from './users-under-test';
import { IDENTITY_IMAGE_BYTES_MAX } from '../src/domain/identity-check';
import { IdentityCheck, ProviderNonce } from '../src/entities/identity-check.entity';
import { PROVIDER_NONCE_KEEP_MS, purgeProviderNonces } from '../src/jobs/purge-provider-nonces';

const VERIFY = `mutation($input: IdentityInput!) { verifyIdentity(input: $input) { status realName idNumber reason } }`;
const ME = '{ me { id realName idNumber identity { status realName idNumber reason settledAt } } }';

let sequence = 100;
/** An input the provider's rule verifies (an adult's fresh ID number, three different images), but for `overrides`. */
function identityInput(overrides: Record<string, string> = {}) {
  sequence += 1;
  return { ...verifiableIdentityInput(sequence), ...overrides };
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`users identity verification on ${kind}`, { skip }, () => {
    let users: UsersWithProviders;
    let identityPrivateKeyPem: string;
    let mobileNumber = 13800002000;
    const call = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      callAsGateway(
        users.service,
        users.environment,
        `10.2.${Math.floor(mobileNumber / 250) % 250}.${mobileNumber % 250}`,
        query,
        variables,
        token,
      );
    const register = () => {
      mobileNumber += 1;
      return registerUser(call, String(mobileNumber));
    };
    const me = async (token: string) => dataOf(await call(ME, {}, token)).me;
    /** The user once their latest check is settled. */
    const settled = (token: string) =>
      eventually(async () => {
        const user = await me(token);
        return user.identity?.status === 'PENDING' ? undefined : user;
      });
    const verifiedEvents = (userId: string) =>
      forkEntityManager(users.orm).find(OutboxMessage, { type: 'users.identity.verified', aggregateId: userId });
    const checkId = async (userId: string) => {
      const rows = await forkEntityManager(users.orm)
        .getConnection()
        .execute('select id from identity_checks where user_id = ? order by created_at desc', [userId]);
      return rows[0].id as string;
    };
    const result = (requestId: string, status: 'VERIFIED' | 'REJECTED', reference = `IDV-${requestId}`) => ({
      reference,
      requestId,
      status,
      reason: status === 'VERIFIED' ? null : 'FACE_MISMATCH',
      decidedAt: new Date().toISOString(),
    });
    const notify = (body: unknown) => users.notify('identity', body);
    const signed = (data: object) => signProviderMessage(IDENTITY_MESSAGE_TYPES.result, data, identityPrivateKeyPem);

    before(async () => {
      users = await startUsersWithProviders(kind);
      identityPrivateKeyPem = users.privateKeyPemOf('identity');
    });
    after(() => users?.stop());

    test('PENDING → VERIFIED sets the real name and ID number and publishes users.identity.verified', async () => {
      const user = await register();
      const input = identityInput();
      const pending = dataOf(await call(VERIFY, { input }, user.token)).verifyIdentity;
      const { idNumber } = input;
      assert.deepEqual(pending, { status: 'PENDING', realName: '王小明', idNumber, reason: null });
      const verified = await settled(user.token);
      assert.equal(verified.identity.status, 'VERIFIED');
      assert.deepEqual([verified.realName, verified.idNumber], ['王小明', idNumber]);
      const events = await verifiedEvents(user.id);
      assert.equal(events.length, 1);
      const decoded = decodePayload(IdentityVerified, JSON.parse(events[0].body).payload);
      assert.ok(decoded.ok, 'the payload keeps its contract');
      const { userId, realName } = decoded.payload;
      assert.deepEqual(
        { userId, realName, idNumber: decoded.payload.idNumber },
        {
          userId: user.id,
          realName: '王小明',
          idNumber,
        },
      );
      assert.deepEqual(errorCodes(await call(VERIFY, { input: identityInput() }, user.token)), ['CONFLICT']);
    });

    test('the provider rejects sequence 999: REJECTED with its reason, no name or ID number, no event', async () => {
      const user = await register();
      const input = identityInput({ idNumber: idNumberOf('19900101', '999') });
      dataOf(await call(VERIFY, { input }, user.token));
      const rejected = await settled(user.token);
      assert.deepEqual(
        { status: rejected.identity.status, reason: rejected.identity.reason },
        { status: 'REJECTED', reason: 'ID_NUMBER_UNKNOWN' },
      );
      assert.deepEqual([rejected.realName, rejected.idNumber], [null, null]);
      assert.equal((await verifiedEvents(user.id)).length, 0);
      // A rejected check frees the number and lets the user try again.
      const again = dataOf(await call(VERIFY, { input: identityInput() }, user.token)).verifyIdentity;
      assert.equal(again.status, 'PENDING');
    });

    test('an ID number another user holds, PENDING or VERIFIED, is CONFLICT and records nothing', async () => {
      const first = await register();
      const input = identityInput();
      dataOf(await call(VERIFY, { input }, first.token));
      const second = await register();
      assert.deepEqual(errorCodes(await call(VERIFY, { input }, second.token)), ['CONFLICT']);
      await settled(first.token);
      assert.deepEqual(errorCodes(await call(VERIFY, { input }, second.token)), ['CONFLICT']);
      assert.equal((await me(second.token)).identity, null);
    });

    test('five checks started at once with five ID numbers: one is PENDING, the others CONFLICT', async () => {
      const user = await register();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => call(VERIFY, { input: identityInput() }, user.token)),
      );
      assert.equal(answers.filter((answer) => answer.errors === undefined).length, 1);
      const refused = answers.filter((answer) => answer.errors !== undefined).map((answer) => errorCodes(answer)[0]);
      assert.deepEqual(refused, ['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT']);
      const rows = await forkEntityManager(users.orm).find(IdentityCheck, { userId: user.id });
      assert.equal(rows.length, 1, 'one check per user in progress (the provider may have answered it already)');
      assert.equal((await settled(user.token)).identity.status, 'VERIFIED');
    });

    test('callback nonces are kept twice the freshness window, then purged a bounded batch at a time', async () => {
      const em = forkEntityManager(users.orm);
      const now = new Date(Date.now() + 365 * 86_400_000);
      const keptFor = (ms: number) => new Date(now.getTime() - ms);
      const old = Array.from({ length: 3 }, (_, index) => `purge-old-${index}-${newId()}`);
      const fresh = `purge-fresh-${newId()}`;
      for (const nonce of old)
        await em.insert(ProviderNonce, { nonce, receivedAt: keptFor(PROVIDER_NONCE_KEEP_MS + 1) });
      await em.insert(ProviderNonce, { nonce: fresh, receivedAt: keptFor(PROVIDER_NONCE_KEEP_MS - 1_000) });
      assert.ok((await purgeProviderNonces(em, now)) >= old.length);
      const left = await em.find(ProviderNonce, { nonce: { $in: [...old, fresh] } });
      assert.deepEqual(
        left.map((row) => row.nonce),
        [fresh],
      );
    });

    test('bad images, bad numbers and minors are BAD_USER_INPUT naming the field, and nothing is recorded', async () => {
      const user = await register();
      const tooLarge = Buffer.concat([jpegImage('big'), Buffer.alloc(IDENTITY_IMAGE_BYTES_MAX)]).toString('base64');
      const cases: [Record<string, string>, string][] = [
        [{ idFrontImage: tooLarge }, 'idFrontImage'],
        [{ idBackImage: Buffer.from('GIF89a not a photo').toString('base64') }, 'idBackImage'],
        [{ faceImage: '' }, 'faceImage'],
        [{ faceImage: 'not base64!' }, 'faceImage'],
        [{ idNumber: '110105199001011231' }, 'idNumber'],
        [{ idNumber: idNumberOf(`${new Date().getUTCFullYear() - 10}0101`, '123') }, 'idNumber'],
        [{ realName: '王' }, 'realName'],
      ];
      for (const [change, field] of cases) {
        const response = await call(VERIFY, { input: identityInput(change) }, user.token);
        assert.deepEqual(errorCodes(response), ['BAD_USER_INPUT'], field);
        assert.equal(response.errors?.[0]?.extensions?.field, field);
      }
      const literal = `mutation { verifyIdentity(input: { realName: "王小明", idNumber: "110105199001011231",
        idFrontImage: "", idBackImage: "", faceImage: "" }) { status } }`;
      assert.deepEqual(errorCodes(await call(literal, {}, user.token)), ['BAD_USER_INPUT']);
      assert.equal((await me(user.token)).identity, null);
    });

    test('a check never sent (the process stopped before sending) is abandoned: NOT_SENT frees user and number', async () => {
      const stale = await register();
      const input = identityInput();
      const hourAgo = new Date(Date.now() - 3_600_000);
      await forkEntityManager(users.orm).insert(IdentityCheck, {
        id: newId(),
        userId: stale.id,
        status: 'PENDING',
        realName: input.realName,
        idNumber: input.idNumber,
        idNumberClaim: input.idNumber,
        idFrontSha256: '0'.repeat(64),
        idBackSha256: '0'.repeat(64),
        faceSha256: '0'.repeat(64),
        createdAt: hourAgo,
      });
      const other = await register();
      const taken = dataOf(await call(VERIFY, { input }, other.token)).verifyIdentity;
      assert.equal(taken.status, 'PENDING', 'the abandoned check no longer holds the number');
      assert.deepEqual(
        { status: (await me(stale.token)).identity.status, reason: (await me(stale.token)).identity.reason },
        { status: 'REJECTED', reason: 'NOT_SENT' },
      );
      assert.equal((await settled(other.token)).identity.status, 'VERIFIED');
      assert.equal(
        dataOf(await call(VERIFY, { input: identityInput() }, stale.token)).verifyIdentity.status,
        'PENDING',
      );
    });

    test('callbacks: unsigned, tampered, replayed and unknown ones are refused; a repeat is applied once', async () => {
      const user = await register();
      // Sequence 999 keeps the provider's own callback from settling the check first.
      dataOf(await call(VERIFY, { input: identityInput({ idNumber: idNumberOf('19900101', '999') }) }, user.token));
      const rejected = await settled(user.token);
      assert.equal(rejected.identity.status, 'REJECTED');
      const input = identityInput();
      dataOf(await call(VERIFY, { input }, user.token));
      const id = await checkId(user.id);
      const envelope = signed(result(id, 'VERIFIED'));
      assert.equal(await notify({ ...envelope, signature: undefined }), 401, 'unsigned');
      const tampered = signed(result(id, 'REJECTED'));
      assert.equal(await notify({ ...tampered, data: envelope.data }), 401, 'tampered');
      assert.equal(await notify(signed(result('00000000-0000-4000-8000-000000000000', 'VERIFIED'))), 404, 'unknown');
      assert.equal(await notify(envelope), 200, "applied (or, when the provider's own callback came first, a repeat)");
      assert.equal(await notify(envelope), 401, 'the same message again is a replay');
      const verified = await settled(user.token);
      assert.equal(verified.identity.status, 'VERIFIED');
      assert.equal(await notify(signed(result(id, 'VERIFIED'))), 200, 'a repeat is acknowledged');
      assert.equal(await notify(signed(result(id, 'REJECTED'))), 200, 'a contradiction is acknowledged, not applied');
      const after = await me(user.token);
      assert.deepEqual([after.identity.status, after.idNumber], ['VERIFIED', input.idNumber]);
      assert.equal((await verifiedEvents(user.id)).length, 1, 'applied once');
    });
  });
}
