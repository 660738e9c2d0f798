// Proves the sign-in edges through the gateway, with users and the gateway each their own process, on
// libsql and on MariaDB, with production's throttle defaults: 100 concurrent wrong logins check 5
// passwords of one account and 20 from one address; registrations are throttled per address; behind one
// proxy (TRUST_PROXY=1) the address is the X-Forwarded-For entry the proxy appended, so a forged first
// entry changes nothing; a subgraph reached directly ignores a forged address header and applies the
// query limits itself; a token without `exp` is refused. Requests go as literals and as variables.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import { CLIENT_ADDRESS_HEADER, resolveJwtKeys, SUBGRAPH_NAMES } from '@wanxin/platform';
import {
  createTestEnvironment,
  databaseKindsUnderTest,
  dataOf,
  errorCodes,
  freePort,
  postGraphQL,
  type GraphQLResponse,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { spawnService, type ServiceProcess } from './harness/processes';

const PASSWORD = 'secret-pass-1';
const LOGIN =
  'mutation($mobile: String!, $password: String!) { login(mobile: $mobile, password: $password) { token } }';
const loginLiteral = (mobile: string, password: string) =>
  `mutation { login(mobile: "${mobile}", password: "${password}") { token } }`;
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }';
const registerLiteral = (mobile: string) =>
  `mutation { register(input: { mobile: "${mobile}", password: "${PASSWORD}", role: INVESTOR }) { token user { id } } }`;

/** An RS256 token with every claim the platform checks, `exp` only when given: without, valid forever were it accepted. */
function signedToken(privateKeyPem: string, expiresAtSeconds?: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const nowSeconds = Math.floor(Date.now() / 1000);
  const claims = {
    sub: '0193a000-0000-7000-8000-000000000001',
    role: 'ADMIN',
    iss: 'wanxin',
    aud: 'wanxin',
    iat: nowSeconds,
    exp: expiresAtSeconds,
  };
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKeyPem).toString('base64url')}`;
}

const codesOf = (answers: GraphQLResponse[]) => answers.map((answer) => errorCodes(answer)[0] ?? 'OK');
const count = (codes: string[], code: string) => codes.filter((candidate) => candidate === code).length;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`sign-in edges through the gateway on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let users: ServiceProcess;
    let gateway: ServiceProcess;

    /** Through the gateway, as a client behind the one trusted proxy at `address`; even calls as literals. */
    const login = (address: string, mobile: string, password: string, literal: boolean, forwardedFor = address) =>
      postGraphQL(
        gateway.url,
        literal ? loginLiteral(mobile, password) : LOGIN,
        literal ? {} : { mobile, password },
        undefined,
        { 'x-forwarded-for': forwardedFor },
      );
    const register = (address: string, mobile: string, literal: boolean) =>
      postGraphQL(
        gateway.url,
        literal ? registerLiteral(mobile) : REGISTER,
        literal ? {} : { input: { mobile, password: PASSWORD, role: 'INVESTOR' } },
        undefined,
        { 'x-forwarded-for': address },
      );
    const passwordChecks = async () => {
      const text = await (await fetch(`http://127.0.0.1:${users.port}/metrics`)).text();
      const line = text.split('\n').find((candidate) => candidate.startsWith('wanxin_login_password_checks_total'));
      assert.ok(line !== undefined, 'users exports wanxin_login_password_checks_total');
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };

    before(async () => {
      environment = createTestEnvironment(kind);
      users = spawnService('users', 'subgraphs/users/dist/src/main.js', await freePort(), environment.env);
      await users.waitUntilReady();
      // Only users answers here; the other subgraphs' URLs are never called.
      const subgraphUrls = Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => [
          `${name.toUpperCase()}_URL`,
          name === 'users' ? users.url : 'http://127.0.0.1:9/graphql',
        ]),
      );
      gateway = spawnService('gateway', 'gateway/dist/src/main.js', await freePort(), {
        ...environment.env,
        ...subgraphUrls,
        TRUST_PROXY: '1',
      });
      await gateway.waitUntilReady();
    });
    after(async () => {
      await gateway?.stop();
      await users?.stop();
      await environment?.cleanup();
    });

    test('100 concurrent wrong logins on one account check 5 passwords; the account locks', async () => {
      dataOf(await register('192.0.2.1', '13800000001', false));
      const before = await passwordChecks();
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          login(`198.51.100.${index + 1}`, '13800000001', `wrong-pass-${index}`, index % 2 === 0),
        ),
      );
      assert.equal((await passwordChecks()) - before, 5);
      const codes = codesOf(answers);
      assert.deepEqual([count(codes, 'UNAUTHENTICATED'), count(codes, 'RATE_LIMITED')], [4, 96]);
      assert.deepEqual(
        errorCodes(await login('192.0.2.1', '13800000001', PASSWORD, true)),
        ['RATE_LIMITED'],
        'locked, even for the right password',
      );
    });

    test('100 concurrent wrong logins from one address check 20 passwords, over any accounts', async () => {
      const before = await passwordChecks();
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          login('192.0.2.2', `1370000${String(index).padStart(4, '0')}`, 'wrong-pass-9', index % 2 === 0),
        ),
      );
      assert.equal((await passwordChecks()) - before, 20);
      const codes = codesOf(answers);
      assert.deepEqual([count(codes, 'UNAUTHENTICATED'), count(codes, 'RATE_LIMITED')], [20, 80]);
    });

    test('30 registrations at once from one address create 10 accounts; another address still registers', async () => {
      const mobile = (index: number) => `1360000${String(index).padStart(4, '0')}`;
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, index) => register('192.0.2.3', mobile(index), index % 2 === 0)),
      );
      const codes = codesOf(answers);
      assert.deepEqual([count(codes, 'OK'), count(codes, 'RATE_LIMITED')], [10, 20]);
      const refused = mobile(codes.indexOf('RATE_LIMITED'));
      assert.ok(
        dataOf(await register('192.0.2.4', refused, true)).register.token,
        'the refused mobile was never created',
      );
    });

    test('behind one proxy a forged first X-Forwarded-For entry changes nothing: the entry the proxy appended counts', async () => {
      dataOf(await register('192.0.2.5', '13800000002', true));
      const codes: string[] = [];
      for (let index = 0; index < 25; index += 1) {
        const forwardedFor = `6.6.${index}.${index + 1}, 203.0.113.7`;
        codes.push(
          codesOf([
            await login(
              '203.0.113.7',
              `1350000${String(index).padStart(4, '0')}`,
              'wrong-pass-9',
              index % 2 === 0,
              forwardedFor,
            ),
          ])[0],
        );
      }
      assert.deepEqual(codes, [...Array(20).fill('UNAUTHENTICATED'), ...Array(5).fill('RATE_LIMITED')]);
      assert.deepEqual(
        errorCodes(await login('203.0.113.7', '13800000002', PASSWORD, false, '203.0.113.8, 203.0.113.7')),
        ['RATE_LIMITED'],
      );
      assert.ok(
        dataOf(await login('203.0.113.8', '13800000002', PASSWORD, true, '203.0.113.7, 203.0.113.8')).login.token,
        'the gateway forwards the address to users, which trusts it from the gateway',
      );
    });

    test('users called directly ignores a forged client address and applies the query limits itself', async () => {
      const codes: string[] = [];
      for (let index = 0; index < 25; index += 1) {
        const mobile = `1340000${String(index).padStart(4, '0')}`;
        const answer = await postGraphQL(
          users.url,
          index % 2 === 0 ? loginLiteral(mobile, 'wrong-pass-9') : LOGIN,
          { mobile, password: 'wrong-pass-9' },
          undefined,
          { [CLIENT_ADDRESS_HEADER]: `6.6.6.${index + 1}` },
        );
        codes.push(codesOf([answer])[0]);
      }
      assert.deepEqual(codes, [...Array(20).fill('UNAUTHENTICATED'), ...Array(5).fill('RATE_LIMITED')]);
      const aliases = Array.from({ length: 31 }, (_, index) => `m${index}: me { id }`).join(' ');
      const tooMany = await postGraphQL(users.url, `{ ${aliases} }`);
      assert.deepEqual(
        tooMany.errors?.map((error) => [error.extensions?.code, error.extensions?.limit]),
        [['BAD_USER_INPUT', 'aliases']],
      );
    });

    test('a properly signed token without exp is refused by the gateway and by users', async () => {
      const { privateKeyPem } = resolveJwtKeys(environment.config);
      const forever = signedToken(privateKeyPem!);
      const expiring = signedToken(privateKeyPem!, Math.floor(Date.now() / 1000) + 600);
      for (const url of [gateway.url, users.url]) {
        assert.deepEqual(errorCodes(await postGraphQL(url, '{ me { id } }', {}, forever)), ['UNAUTHENTICATED'], url);
        assert.deepEqual(
          errorCodes(await postGraphQL(url, '{ me { id } }', {}, expiring)),
          [],
          `${url}: the same token with exp is accepted`,
        );
      }
    });
  });
}
