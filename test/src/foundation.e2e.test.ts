// Proves the foundation through the gateway with every service its own process on MariaDB and RabbitMQ:
// users sign up and in, one query crosses subgraphs (the depository row arrives by event), personal data is masked, a subgraph reached directly is no
// softer than the gateway, the gateway's limits hold, production mode hides what it must, the gateway is
// ready only while every subgraph is (naming the one down), and every service stops gracefully on SIGTERM.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, errorCodes, eventually, postGraphQL, servicesUnderTest, TEST_ADMIN } from '@wanxin/platform/testing';
import { startPlatform, startProductionGateway, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }`;
const LOGIN = `mutation($mobile: String!, $password: String!) { login(mobile: $mobile, password: $password) { token user { id role } } }`;

describe('foundation through the gateway (every service its own process, MariaDB, RabbitMQ)', { skip }, () => {
  let platform: RunningPlatform;
  let borrower: { token: string; user: { id: string } };
  let investor: { token: string; user: { id: string } };
  const gateway = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
    postGraphQL(platform.gateway.url, query, variables, token);

  before(async () => {
    platform = await startPlatform('mysql', true);
    borrower = dataOf(
      await gateway(REGISTER, { input: { mobile: '13700000001', password: 'borrow-pass-1', role: 'BORROWER' } }),
    ).register;
    investor = dataOf(
      await gateway(REGISTER, { input: { mobile: '13700000002', password: 'invest-pass-1', role: 'INVESTOR' } }),
    ).register;
  });
  after(async () => platform?.stop());

  test('login, then one query that crosses users, depository and loans', async () => {
    const login = dataOf(await gateway(LOGIN, { mobile: '13700000001', password: 'borrow-pass-1' })).login;
    assert.equal(login.user.id, borrower.user.id);
    const query = '{ me { id role mobile depositoryAccount { status } loans { totalCount edges { node { id } } } } }';
    // The depository row comes from the users.user.registered event, through the outbox and RabbitMQ.
    const me = await eventually(async () => {
      const answer = dataOf(await gateway(query, {}, login.token)).me;
      return answer.depositoryAccount === null ? undefined : answer;
    });
    assert.equal(me.id, borrower.user.id);
    assert.equal(me.role, 'BORROWER');
    assert.equal(me.mobile, '13700000001');
    assert.deepEqual(me.depositoryAccount, { status: 'NOT_OPENED' });
    assert.deepEqual(me.loans, { totalCount: 0, edges: [] });
  });

  test("another user's loans are FORBIDDEN and their mobile is masked", async () => {
    const admin = dataOf(await gateway(LOGIN, TEST_ADMIN)).login;
    const adminView = dataOf(
      await gateway(
        'query($id: ID!) { user(id: $id) { mobile loans { totalCount } } }',
        { id: borrower.user.id },
        admin.token,
      ),
    ).user;
    assert.deepEqual(adminView, { mobile: '13700000001', loans: { totalCount: 0 } });
    assert.deepEqual(
      errorCodes(await gateway('query($id: ID!) { user(id: $id) { id } }', { id: borrower.user.id }, investor.token)),
      ['FORBIDDEN'],
    );
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { mobile } } }`;
    const masked = dataOf(
      await postGraphQL(
        platform.subgraphs.users.url,
        entities,
        { r: [{ __typename: 'User', id: borrower.user.id }] },
        investor.token,
      ),
    );
    assert.equal(masked._entities[0].mobile, '137****0001');
  });

  test('a subgraph called directly without a token refuses protected fields', async () => {
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { loans { totalCount } } } }`;
    const response = await postGraphQL(platform.subgraphs.loans.url, entities, {
      r: [{ __typename: 'User', id: borrower.user.id }],
    });
    assert.deepEqual(errorCodes(response), ['UNAUTHENTICATED']);
    const forged = await postGraphQL(
      platform.subgraphs.users.url,
      '{ me { id } }',
      {},
      `${borrower.token.slice(0, -4)}AAAA`,
    );
    assert.deepEqual(errorCodes(forged), ['UNAUTHENTICATED']);
  });

  test('the gateway refuses over-deep, alias-heavy and invalid-token requests before any subgraph', async () => {
    const deep =
      '{ me { loans(first: 1) { edges { node { borrower { loans(first: 1) { edges { node { borrower { loans(first: 1) { edges { node { id } } } } } } } } } } } } }';
    const deepResponse = await gateway(deep, {}, borrower.token);
    assert.deepEqual(errorCodes(deepResponse), ['BAD_USER_INPUT']);
    assert.match(deepResponse.errors![0].message, /depth 13 exceeds the maximum 12/);
    const aliases = `{ ${Array.from({ length: 31 }, (_, index) => `a${index}: me { id }`).join(' ')} }`;
    assert.match((await gateway(aliases, {}, borrower.token)).errors![0].message, /aliases 31 exceeds the maximum 30/);
    const expensive =
      '{ loans(first: 100) { edges { node { borrower { loans(first: 100) { edges { node { id title loanNo } } } } } } } }';
    assert.match((await gateway(expensive)).errors![0].message, /cost \d+ exceeds the maximum/);
    const badToken = await gateway('{ me { id } }', {}, 'not.a.token');
    assert.deepEqual(errorCodes(badToken), ['UNAUTHENTICATED']);
  });

  test('five wrong passwords through the gateway lock the account', async () => {
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      assert.deepEqual(errorCodes(await gateway(LOGIN, { mobile: '13700000002', password: 'wrong-pass-0' })), [
        'UNAUTHENTICATED',
      ]);
    }
    assert.deepEqual(errorCodes(await gateway(LOGIN, { mobile: '13700000002', password: 'wrong-pass-0' })), [
      'RATE_LIMITED',
    ]);
    assert.deepEqual(errorCodes(await gateway(LOGIN, { mobile: '13700000002', password: 'invest-pass-1' })), [
      'RATE_LIMITED',
    ]);
  });

  test('development serves Apollo Sandbox; production hides it, introspection and stack traces', async () => {
    const sandbox = await fetch(platform.gateway.url, { headers: { accept: 'text/html' } });
    assert.match(await sandbox.text(), /sandbox/i);
    const production = await startProductionGateway(platform);
    const landing = await fetch(production.url, { headers: { accept: 'text/html' } });
    assert.doesNotMatch(await landing.text(), /sandbox/i);
    const introspection = await postGraphQL(production.url, '{ __schema { types { name } } }');
    assert.equal(introspection.data, undefined);
    assert.ok(introspection.errors?.length);
    const invalid = await postGraphQL(production.url, '{ me { nope } }', {}, borrower.token);
    assert.equal(JSON.stringify(invalid).includes('stacktrace'), false);
    const answered = dataOf(await postGraphQL(production.url, '{ me { id } }', {}, borrower.token));
    assert.equal(answered.me.id, borrower.user.id);
  });

  test('subgraphs expose event metrics: published by users, consumed by depository, outbox drained', async () => {
    const metrics = async (name: 'users' | 'depository') =>
      (await fetch(`http://127.0.0.1:${platform.subgraphs[name].port}/metrics`)).text();
    const users = await metrics('users');
    assert.match(users, /wanxin_events_published_total\{service="users"\} [1-9]/);
    assert.match(users, /wanxin_outbox_pending\{service="users"\} 0/);
    assert.match(users, /wanxin_outbox_dead\{service="users"\} 0/);
    assert.match(
      await metrics('depository'),
      /wanxin_events_consumed_total\{type="users.user.registered",service="depository"\} [1-9]/,
    );
  });

  test('a subgraph down leaves the gateway ready but degraded, naming it, and fully ready once it is back', async () => {
    const gatewayReadyz = async () => {
      const response = await fetch(`http://127.0.0.1:${platform.gateway.port}/readyz`);
      return { status: response.status, text: await response.text() };
    };
    assert.deepEqual(await gatewayReadyz(), { status: 200, text: 'ready' });
    await platform.restart('loans', {
      whileDown: async () => {
        assert.deepEqual(await gatewayReadyz(), { status: 200, text: 'ready, degraded: subgraphs not ready: loans' });
      },
    });
    assert.deepEqual(await gatewayReadyz(), { status: 200, text: 'ready' });
  });

  test('every service is healthy and stops gracefully on SIGTERM', async () => {
    for (const service of [platform.gateway, platform.bank, ...Object.values(platform.subgraphs)]) {
      const base = `http://127.0.0.1:${service.port}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200, service.name);
      assert.equal((await fetch(`${base}/readyz`)).status, 200, service.name);
    }
    const exitCodes = await Promise.all(
      [platform.gateway, platform.bank, ...Object.values(platform.subgraphs)].map((service) => service.stop()),
    );
    assert.deepEqual(exitCodes, [0, 0, 0, 0, 0, 0, 0]);
  });
});
