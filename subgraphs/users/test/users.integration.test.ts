// Proves the users subgraph end to end over HTTP, with the same test code against embedded libsql and
// MariaDB: register, login, the five-strikes lock, roles, masking, admin bootstrap, and that every
// refused request changes nothing; the throttles hold under 100 concurrent requests (each guess is taken
// before its password is checked), and a client address counts only when the gateway's service token
// comes with it.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ADDRESS_HEADER, SERVICE_TOKEN_HEADER, type HttpService } from '@wanxin/platform';
import {
  createTestEnvironment,
  databaseKindsUnderTest,
  dataOf,
  errorCodes,
  postGraphQL,
  TEST_ADMIN,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { callAsGateway, startUsers } from './users-under-test';

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token user { id mobile role } } }`;
const LOGIN = `mutation($mobile: String!, $password: String!) { login(mobile: $mobile, password: $password) { token user { id } } }`;
const USER_COUNT_PROBE = `query($id: ID!) { user(id: $id) { id mobile } }`;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`users subgraph on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let service: HttpService;
    let adminToken: string;
    const start = () => startUsers(environment);
    // Each test signs in from its own address, so the per-address throttle counts only its own failures.
    let clientAddress = '10.0.0.1';
    let testNumber = 1;
    beforeEach(() => {
      testNumber += 1;
      clientAddress = `10.0.0.${testNumber}`;
    });
    // As the gateway calls: the end user's address with the service token.
    const callFrom = (address: string, query: string, variables: Record<string, unknown> = {}, token?: string) =>
      callAsGateway(service, environment, address, query, variables, token);
    const call = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      callFrom(clientAddress, query, variables, token);
    /** Passwords the subgraph has checked so far (`wanxin_login_password_checks_total`); the metric must exist. */
    const passwordChecks = async () => {
      const text = await (await fetch(service.url.replace(/\/graphql$/, '/metrics'))).text();
      const line = text.split('\n').find((candidate) => candidate.startsWith('wanxin_login_password_checks_total'));
      assert.ok(line !== undefined, 'users exports wanxin_login_password_checks_total');
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const register = async (mobile: string, role = 'INVESTOR', password = 'secret-pass-1') =>
      dataOf(await call(REGISTER, { input: { mobile, password, role } })).register;

    before(async () => {
      environment = createTestEnvironment(kind);
      service = await start();
      adminToken = dataOf(await call(LOGIN, TEST_ADMIN)).login.token;
    });
    after(async () => {
      await service?.stop();
      await environment?.cleanup();
    });

    test('register signs the new user in and me shows their own data unmasked', async () => {
      const borrower = await register('13800000001', 'BORROWER');
      assert.equal(borrower.user.role, 'BORROWER');
      assert.equal(borrower.user.mobile, '13800000001');
      const me = dataOf(await call('{ me { id mobile role idNumber createdAt } }', {}, borrower.token)).me;
      assert.deepEqual(
        { id: me.id, mobile: me.mobile, role: me.role, idNumber: me.idNumber },
        { id: borrower.user.id, mobile: '13800000001', role: 'BORROWER', idNumber: null },
      );
      assert.ok(!Number.isNaN(Date.parse(me.createdAt)));
      assert.equal(dataOf(await call('{ me { id } }')).me, null);
    });

    test('a duplicate mobile is CONFLICT and creates nothing', async () => {
      const first = await register('13800000002');
      const again = await call(REGISTER, {
        input: { mobile: '13800000002', password: 'other-pass-2', role: 'BORROWER' },
      });
      assert.deepEqual(errorCodes(again), ['CONFLICT']);
      const login = dataOf(await call(LOGIN, { mobile: '13800000002', password: 'secret-pass-1' })).login;
      assert.equal(login.user.id, first.user.id, 'the original account and password are unchanged');
    });

    test('bad mobiles, weak passwords and self-made admins are refused', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ mobile: '1380000000', password: 'secret-pass-1', role: 'INVESTOR' }, 'BAD_USER_INPUT'],
        [{ mobile: '23800000000', password: 'secret-pass-1', role: 'INVESTOR' }, 'BAD_USER_INPUT'],
        [{ mobile: '13800000003', password: 'short1', role: 'INVESTOR' }, 'BAD_USER_INPUT'],
        [{ mobile: '13800000003', password: 'no-digits-here', role: 'INVESTOR' }, 'BAD_USER_INPUT'],
        [{ mobile: '13800000003', password: 'secret-pass-1', role: 'ADMIN' }, 'FORBIDDEN'],
        [{ mobile: '13800000003', password: 'secret-pass-1', role: 'ROOT' }, 'BAD_USER_INPUT'],
      ];
      for (const [input, code] of cases)
        assert.deepEqual(errorCodes(await call(REGISTER, { input })), [code], JSON.stringify(input));
      assert.deepEqual(
        errorCodes(await call(LOGIN, { mobile: '13800000003', password: 'secret-pass-1' })),
        ['UNAUTHENTICATED'],
        'nothing was created',
      );
    });

    test('five wrong passwords lock the account, even for the right password', async () => {
      await register('13800000004');
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        assert.deepEqual(
          errorCodes(await call(LOGIN, { mobile: '13800000004', password: 'wrong-pass-9' })),
          ['UNAUTHENTICATED'],
          `attempt ${attempt}`,
        );
      }
      assert.deepEqual(errorCodes(await call(LOGIN, { mobile: '13800000004', password: 'wrong-pass-9' })), [
        'RATE_LIMITED',
      ]);
      assert.deepEqual(errorCodes(await call(LOGIN, { mobile: '13800000004', password: 'secret-pass-1' })), [
        'RATE_LIMITED',
      ]);
    });

    test('a success resets the failure count', async () => {
      await register('13800000005');
      for (let attempt = 1; attempt <= 4; attempt += 1)
        await call(LOGIN, { mobile: '13800000005', password: 'wrong-pass-9' });
      dataOf(await call(LOGIN, { mobile: '13800000005', password: 'secret-pass-1' }));
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        assert.deepEqual(errorCodes(await call(LOGIN, { mobile: '13800000005', password: 'wrong-pass-9' })), [
          'UNAUTHENTICATED',
        ]);
      }
    });

    test('unknown mobiles and malformed input fail the same way as wrong passwords', async () => {
      assert.deepEqual(errorCodes(await call(LOGIN, { mobile: '13899999999', password: 'secret-pass-1' })), [
        'UNAUTHENTICATED',
      ]);
      assert.deepEqual(errorCodes(await call(LOGIN, { mobile: 'x', password: 'secret-pass-1' })), ['UNAUTHENTICATED']);
    });

    test('user(id): the user themself or an admin; others are FORBIDDEN; unknown ids NOT_FOUND', async () => {
      const alice = await register('13800000006');
      const bob = await register('13800000007');
      assert.equal(dataOf(await call(USER_COUNT_PROBE, { id: alice.user.id }, alice.token)).user.mobile, '13800000006');
      assert.deepEqual(errorCodes(await call(USER_COUNT_PROBE, { id: alice.user.id }, bob.token)), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await call(USER_COUNT_PROBE, { id: alice.user.id })), ['UNAUTHENTICATED']);
      assert.equal(dataOf(await call(USER_COUNT_PROBE, { id: alice.user.id }, adminToken)).user.mobile, '13800000006');
      assert.deepEqual(
        errorCodes(await call(USER_COUNT_PROBE, { id: '0193a000-0000-7000-8000-000000000000' }, adminToken)),
        ['NOT_FOUND'],
      );
      assert.deepEqual(errorCodes(await call(USER_COUNT_PROBE, { id: 'not-an-id' }, adminToken)), ['BAD_USER_INPUT']);
    });

    test('entity references mask personal data for other viewers, anonymous ones included', async () => {
      const alice = await register('13800000008');
      const bob = await register('13800000009');
      const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id mobile role } } }`;
      const representations = [{ __typename: 'User', id: alice.user.id }];
      assert.equal(dataOf(await call(query, { representations }, bob.token))._entities[0].mobile, '138****0008');
      assert.equal(dataOf(await call(query, { representations }, alice.token))._entities[0].mobile, '13800000008');
      assert.equal(dataOf(await call(query, { representations }, adminToken))._entities[0].mobile, '13800000008');
      // An anonymous marketplace page shows each borrower's masked mobile (README, "Who sees what").
      const anonymous = await call(query, { representations });
      assert.equal(anonymous.errors, undefined);
      assert.equal(dataOf(anonymous)._entities[0].mobile, '138****0008');
    });

    test('createAdmin is for admins only', async () => {
      const investor = await register('13800000010');
      const create = `mutation($mobile: String!, $password: String!) { createAdmin(mobile: $mobile, password: $password) { id role } }`;
      const input = { mobile: '13800000011', password: 'admin-pass-2' };
      assert.deepEqual(errorCodes(await call(create, input, investor.token)), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await call(create, input)), ['UNAUTHENTICATED']);
      assert.equal(dataOf(await call(create, input, adminToken)).createAdmin.role, 'ADMIN');
      assert.deepEqual(errorCodes(await call(create, input, adminToken)), ['CONFLICT']);
      const login = dataOf(
        await call(`mutation { login(mobile: "13800000011", password: "admin-pass-2") { user { role } } }`),
      ).login;
      assert.equal(login.user.role, 'ADMIN');
    });

    test('a tampered or foreign token is UNAUTHENTICATED', async () => {
      const alice = await register('13800000012');
      const [header, payload, signature] = alice.token.split('.');
      const forged = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'ADMIN' }),
      ).toString('base64url');
      const response = await call('{ me { id } }', {}, `${header}.${forged}.${signature}`);
      assert.deepEqual(errorCodes(response), ['UNAUTHENTICATED']);
      assert.equal(response.status, 401);
    });

    test('twenty failed logins from one address, over any accounts, block that address', async () => {
      clientAddress = '192.0.2.20';
      await register('13800000013');
      for (let attempt = 1; attempt <= 20; attempt += 1) {
        const mobile = `1380000${String(100 + attempt).padStart(4, '0')}`;
        assert.deepEqual(
          errorCodes(await call(LOGIN, { mobile, password: 'wrong-pass-9' })),
          ['UNAUTHENTICATED'],
          `attempt ${attempt}`,
        );
      }
      assert.deepEqual(errorCodes(await call(LOGIN, { mobile: '13800000013', password: 'secret-pass-1' })), [
        'RATE_LIMITED',
      ]);
      clientAddress = '192.0.2.21';
      assert.ok(
        dataOf(await call(LOGIN, { mobile: '13800000013', password: 'secret-pass-1' })).login.token,
        'another address is not blocked',
      );
    });

    test('100 concurrent wrong logins on one account check 5 passwords; the rest are refused unchecked', async () => {
      const victim = await register('13800000014');
      const before = await passwordChecks();
      // From 100 addresses, so only the account's own budget binds.
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          callFrom(`198.51.100.${index + 1}`, LOGIN, { mobile: '13800000014', password: `wrong-pass-${index}` }),
        ),
      );
      assert.equal((await passwordChecks()) - before, 5, "exactly the account's five guesses were checked");
      const codes = answers.map((answer) => errorCodes(answer)[0]);
      assert.equal(codes.filter((code) => code === 'UNAUTHENTICATED').length, 4);
      assert.equal(
        codes.filter((code) => code === 'RATE_LIMITED').length,
        96,
        'the fifth guess locks; 95 were never checked',
      );
      assert.deepEqual(
        errorCodes(await call(LOGIN, { mobile: '13800000014', password: 'secret-pass-1' })),
        ['RATE_LIMITED'],
        'locked',
      );
      assert.equal(victim.user.mobile, '13800000014');
    });

    test('100 concurrent wrong logins from one address check 20 passwords, over any accounts', async () => {
      clientAddress = '192.0.2.30';
      const before = await passwordChecks();
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          call(LOGIN, { mobile: `1370000${String(index).padStart(4, '0')}`, password: 'wrong-pass-9' }),
        ),
      );
      assert.equal((await passwordChecks()) - before, 20);
      const codes = answers.map((answer) => errorCodes(answer)[0]);
      assert.equal(codes.filter((code) => code === 'UNAUTHENTICATED').length, 20);
      assert.equal(codes.filter((code) => code === 'RATE_LIMITED').length, 80);
    });

    test('a right password gives its address attempt back: signing in never uses up an address', async () => {
      clientAddress = '192.0.2.31';
      await register('13800000015');
      for (let attempt = 1; attempt <= 25; attempt += 1)
        dataOf(await call(LOGIN, { mobile: '13800000015', password: 'secret-pass-1' }));
    });

    test('registrations are throttled per address: 30 at once from one address create 10 accounts', async () => {
      clientAddress = '192.0.2.40';
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          call(REGISTER, {
            input: { mobile: `1360000${String(index).padStart(4, '0')}`, password: 'secret-pass-1', role: 'INVESTOR' },
          }),
        ),
      );
      const codes = answers.map((answer) => errorCodes(answer)[0]);
      assert.equal(codes.filter((code) => code === undefined).length, 10);
      assert.equal(codes.filter((code) => code === 'RATE_LIMITED').length, 20);
      const refusedMobiles = answers.flatMap((answer, index) =>
        answer.errors === undefined ? [] : [`1360000${String(index).padStart(4, '0')}`],
      );
      clientAddress = '192.0.2.41';
      assert.deepEqual(
        errorCodes(await call(LOGIN, { mobile: refusedMobiles[0], password: 'secret-pass-1' })),
        ['UNAUTHENTICATED'],
        'a refused registration created nothing',
      );
      assert.equal(
        dataOf(
          await call(REGISTER, { input: { mobile: refusedMobiles[0], password: 'secret-pass-1', role: 'INVESTOR' } }),
        ).register.user.mobile,
        refusedMobiles[0],
        'another address registers',
      );
    });

    test('a client address sent without the service token is ignored: forging it escapes no throttle', async () => {
      const forged = (index: number, extra: Record<string, string>) =>
        postGraphQL(
          service.url,
          LOGIN,
          { mobile: `1350000${String(index).padStart(4, '0')}`, password: 'wrong-pass-9' },
          undefined,
          { [CLIENT_ADDRESS_HEADER]: `203.0.113.${index + 1}`, ...extra },
        );
      const codes: (string | undefined)[] = [];
      for (let index = 0; index < 25; index += 1) {
        const extra: Record<string, string> =
          index % 2 === 0 ? {} : { [SERVICE_TOKEN_HEADER]: 'not-the-service-secret-not-the-service-secret' };
        codes.push(errorCodes(await forged(index, extra))[0]);
      }
      assert.deepEqual(
        codes.slice(0, 20),
        Array(20).fill('UNAUTHENTICATED'),
        "all counted against the caller's own address",
      );
      assert.deepEqual(codes.slice(20), Array(5).fill('RATE_LIMITED'));
    });

    test('restarting re-runs the admin bootstrap without duplicating the admin', async () => {
      await service.stop();
      service = await start();
      const login = dataOf(await call(LOGIN, TEST_ADMIN)).login;
      assert.ok(login.token);
      const health = await fetch(service.url.replace('/graphql', '/readyz'));
      assert.equal(health.status, 200);
    });
  });
}
