// Proves the token revocation behind disableUser in one subgraph over HTTP, on libsql and MariaDB, with the
// platform's own consumer of users.user.tokens-revoked (every subgraph has it) fed through the in-process
// transport: a token issued at or before the revocation instant is refused (401, UNAUTHENTICATED), one
// issued a millisecond later works; enabling the user keeps the revocation; the event delivered twice (the
// same message redelivered, or a new message with an earlier instant) changes nothing, and a later instant
// moves the revocation forward; another user's tokens are untouched. Called as the gateway calls it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { issueToken, newId, resolveJwtKeys, type HttpService, type Role } from '@wanxin/platform';
import { UserTokensRevoked } from '@wanxin/platform/contracts';
import {
  createTestEnvironment,
  databaseKindsUnderTest,
  dataOf,
  deliverEvent,
  errorCodes,
  TEST_ADMIN,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { callAsGateway, startUsers } from './users-under-test';

const LOGIN = 'mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token user { id } } }';
const REGISTER = 'mutation($i: RegisterInput!) { register(input: $i) { token user { id } } }';
const AUDIT =
  'query($id: ID!) { user(id: $id) { status adminActions(first: 5) { edges { node { action createdAt } } } } }';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`token revocation in the users subgraph on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let service: HttpService;
    let admin: string;
    let privateKeyPem: string;
    const call = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      callAsGateway(service, environment, '10.0.11.1', query, variables, token);
    /** A token of `userId` as users would have issued it at `issuedAt`. */
    const tokenAt = (userId: string, issuedAt: Date, role: Role = 'INVESTOR') =>
      issueToken({ id: userId, role }, privateKeyPem, 3600, issuedAt).token;
    const meCode = async (token: string) => {
      const response = await call('{ me { id } }', {}, token);
      return errorCodes(response)[0] ?? 'OK';
    };
    /** Delivers users.user.tokens-revoked as the relay would; `messageId` again is that message redelivered. */
    const deliverRevoked = (userId: string, revokedAt: Date, messageId?: string) =>
      deliverEvent(
        {
          type: UserTokensRevoked.type,
          version: UserTokensRevoked.version,
          aggregateId: userId,
          payload: { userId, revokedAt: revokedAt.toISOString() },
        },
        messageId,
      );

    before(async () => {
      environment = createTestEnvironment(kind);
      service = await startUsers(environment);
      privateKeyPem = resolveJwtKeys(environment.config).privateKeyPem!;
      admin = dataOf(await call(LOGIN, { m: TEST_ADMIN.mobile, p: TEST_ADMIN.password })).login.token;
    });
    after(async () => {
      await service?.stop();
      await environment?.cleanup();
    });

    test('disableUser refuses every token issued up to its instant, at once; enable keeps them refused', async () => {
      const { token, user } = dataOf(
        await call(REGISTER, { i: { mobile: '13800000101', password: 'revoke-pass-1', role: 'INVESTOR' } }),
      ).register;
      const bystander = dataOf(
        await call(REGISTER, { i: { mobile: '13800000102', password: 'revoke-pass-1', role: 'INVESTOR' } }),
      ).register;
      assert.equal(await meCode(token), 'OK');
      const disable = 'mutation($id: ID!) { disableUser(userId: $id, reason: "fraud") { status } }';
      assert.equal(dataOf(await call(disable, { id: user.id }, admin)).disableUser.status, 'DISABLED');
      const [disabled] = dataOf(await call(AUDIT, { id: user.id }, admin)).user.adminActions.edges;
      const revokedAt = new Date(disabled.node.createdAt);

      const refused = await call('{ me { id } }', {}, token);
      assert.deepEqual(errorCodes(refused), ['UNAUTHENTICATED']);
      assert.match(refused.errors![0].message, /revoked/);
      assert.equal(await meCode(tokenAt(user.id, revokedAt)), 'UNAUTHENTICATED', 'issued at the instant');
      assert.equal(await meCode(tokenAt(user.id, new Date(revokedAt.getTime() + 1))), 'OK', 'issued after it');
      assert.equal(await meCode(bystander.token), 'OK', "another user's token");

      const enable = 'mutation($id: ID!) { enableUser(userId: $id, reason: "cleared") { status } }';
      assert.equal(dataOf(await call(enable, { id: user.id }, admin)).enableUser.status, 'ACTIVE');
      assert.equal(await meCode(token), 'UNAUTHENTICATED', 'the old token stays refused after enable');
      const again = dataOf(await call(LOGIN, { m: '13800000101', p: 'revoke-pass-1' })).login.token;
      assert.equal(await meCode(again), 'OK');
    });

    test('the event delivered twice, or with an earlier instant, changes nothing; a later one moves it forward', async () => {
      const userId = newId();
      const revokedAt = new Date(Date.now() - 60_000);
      const before = tokenAt(userId, new Date(revokedAt.getTime() - 1));
      const between = tokenAt(userId, new Date(revokedAt.getTime() + 1_000));
      assert.equal(await meCode(between), 'OK');

      const first = await deliverRevoked(userId, revokedAt);
      await deliverRevoked(userId, revokedAt, first.id);
      await deliverRevoked(userId, new Date(revokedAt.getTime() - 30_000));
      assert.equal(await meCode(before), 'UNAUTHENTICATED');
      assert.equal(await meCode(between), 'OK', 'an earlier instant delivered later does not move it back');

      await deliverRevoked(userId, new Date(revokedAt.getTime() + 2_000));
      assert.equal(await meCode(between), 'UNAUTHENTICATED', 'a later instant moves it forward');
      assert.equal(await meCode(tokenAt(userId, new Date())), 'OK', 'tokens issued after it work');
    });
  });
}
