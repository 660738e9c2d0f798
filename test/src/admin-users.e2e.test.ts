// Proves the operator's user management through the gateway, every service its own process on MariaDB and
// RabbitMQ: an admin lists users (by role, by text in the mobile or real name, paged newest first);
// disabling an investor makes their token refused (UNAUTHENTICATED) by every subgraph, through the gateway
// and called directly, once users.user.tokens-revoked reached it, and their login is refused
// (FORBIDDEN, reason ACCOUNT_DISABLED); enabling lets them sign in again while the old token stays refused
// and the new one works everywhere; a disabled admin's open subscription is closed (4401) by the gateway,
// which hears the same event, and a new one with that token refused; unlocking ends a lockout after wrong passwords; the audit shows who,
// when and why. Every bad input (as variables and as literals), a non-admin, an admin disabling
// themself, an unknown id and each wrong state is refused with its code and changes nothing.
// Duplicate deliveries of the event are proven in users' admin-users.integration test (in-process transport).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, SUBGRAPH_NAMES, type SubgraphName } from '@wanxin/platform';
import { dataOf, errorCodes, eventually, postGraphQL, servicesUnderTest, TEST_ADMIN } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';
import { connectSubscriptions, gatewayMetric, subscribed, watch } from './harness/subscription-client';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);
const PASSWORD = 'admin-users-pass-1';
const LOGIN = 'mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token } }';
const REGISTER = 'mutation($i: RegisterInput!) { register(input: $i) { token user { id } } }';
const ACCOUNT = `query($id: ID!) { user(id: $id) { status lockedUntil
  adminActions(first: 10) { totalCount edges { node { action reason createdAt adminId admin { id mobile } } } } } }`;

/** One field served by each subgraph, asked with the investor's token; `variables` as a front end sends them. */
const FIELD_OF: Record<SubgraphName, { query: string; variables?: Record<string, unknown> }> = {
  users: { query: '{ me { id } }' },
  loans: { query: '{ loans(first: 1) { totalCount } }' },
  bids: { query: 'query($id: ID!) { bidPreview(loanId: $id) { remaining } }', variables: { id: newId() } },
  repayments: { query: '{ businessDate }' },
  depository: { query: '{ depositoryTransactions(first: 1) { totalCount } }' },
};

type AdminMutation = 'disableUser' | 'enableUser' | 'unlockUser';

/** The mutation written twice: its arguments as literals in the document, and as variables. */
function bothForms(mutation: AdminMutation, userId: string, reason: string) {
  return [
    { query: `mutation { ${mutation}(userId: ${JSON.stringify(userId)}, reason: ${JSON.stringify(reason)}) { id } }` },
    {
      query: `mutation($u: ID!, $r: String!) { ${mutation}(userId: $u, reason: $r) { id } }`,
      variables: { u: userId, r: reason },
    },
  ];
}

describe('admin users through the gateway (own processes, MariaDB, RabbitMQ)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  let adminId: string;

  const register = async (mobile: string, role: 'INVESTOR' | 'BORROWER') => {
    const { token, user } = dataOf(
      await client.gateway(REGISTER, { i: { mobile, password: PASSWORD, role } }),
    ).register;
    return { token: token as string, id: user.id as string };
  };
  const login = (mobile: string, password = PASSWORD) => client.gateway(LOGIN, { m: mobile, p: password });
  const account = async (id: string) => dataOf(await client.gateway(ACCOUNT, { id }, admin)).user;
  const act = (mutation: AdminMutation, userId: string, reason: string, token = admin) =>
    client.gateway(
      `mutation($u: ID!, $r: String!) { ${mutation}(userId: $u, reason: $r) { id status } }`,
      { u: userId, r: reason },
      token,
    );
  /** The first error code of the investor's field on `name`, through the gateway or straight to the subgraph. */
  const codeOn = async (name: SubgraphName, token: string, direct: boolean) => {
    const { query, variables } = FIELD_OF[name];
    const response = direct
      ? await postGraphQL(platform.subgraphs[name].url, query, variables ?? {}, token)
      : await client.gateway(query, variables ?? {}, token);
    return errorCodes(response)[0] ?? 'OK';
  };
  const codesEverywhere = async (token: string) => {
    const codes: string[] = [];
    for (const direct of [false, true])
      for (const name of SUBGRAPH_NAMES)
        codes.push(`${direct ? 'direct' : 'gateway'} ${name}: ${await codeOn(name, token, direct)}`);
    return codes;
  };

  before(async () => {
    platform = await startPlatform('mysql', true);
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
    adminId = dataOf(await client.gateway('{ me { id } }', {}, admin)).me.id;
  });
  after(async () => platform?.stop());

  test('users lists by role and text, newest first, in pages; an admin sees mobiles unmasked', async () => {
    const investor = await register(identityFor(501).mobile, 'INVESTOR');
    const borrower = await register(identityFor(502).mobile, 'BORROWER');
    const page = async (variables: Record<string, unknown>) =>
      dataOf(
        await client.gateway(
          `query($role: Role, $text: String, $first: Int, $after: String) {
            users(role: $role, text: $text, first: $first, after: $after) {
              totalCount pageInfo { hasNextPage endCursor } edges { node { id mobile role } } } }`,
          variables,
          admin,
        ),
      ).users;
    const investors = await page({ role: 'INVESTOR' });
    assert.ok(investors.edges.every((edge: { node: { role: string } }) => edge.node.role === 'INVESTOR'));
    assert.equal(investors.edges[0].node.id, investor.id, 'newest first');
    const byText = await page({ text: identityFor(502).mobile.slice(3) });
    assert.deepEqual(
      byText.edges.map((edge: { node: { id: string } }) => edge.node),
      [{ id: borrower.id, mobile: identityFor(502).mobile, role: 'BORROWER' }],
    );
    const literal = dataOf(
      await client.gateway(`{ users(role: BORROWER, text: "${identityFor(502).mobile}") { totalCount } }`, {}, admin),
    ).users;
    assert.equal(literal.totalCount, 1);
    const first = await page({ first: 1 });
    const second = await page({ first: 1, after: first.pageInfo.endCursor });
    assert.equal(first.edges[0].node.id, borrower.id);
    assert.equal(second.edges[0].node.id, investor.id);
    assert.equal(first.totalCount, second.totalCount);
  });

  test('users refuses a non-admin, text over 100 characters or with wildcards, a bad page, an unknown role', async () => {
    const investor = await register(identityFor(503).mobile, 'INVESTOR');
    const USERS = 'query($text: String, $first: Int) { users(text: $text, first: $first) { totalCount } }';
    assert.deepEqual(errorCodes(await client.gateway(USERS, {}, investor.token)), ['FORBIDDEN']);
    assert.deepEqual(errorCodes(await client.gateway(USERS, {})), ['UNAUTHENTICATED']);
    assert.deepEqual(errorCodes(await client.gateway('{ users { totalCount } }', {}, investor.token)), ['FORBIDDEN']);
    for (const [text, first] of [
      ['1'.repeat(101), 10],
      ['13%', 10],
      ['a_b', 10],
      ['   ', 10],
      ['138', 0],
      ['138', 101],
    ] as const) {
      assert.deepEqual(errorCodes(await client.gateway(USERS, { text, first }, admin)), ['BAD_USER_INPUT'], text);
      const literal = `{ users(text: ${JSON.stringify(text)}, first: ${first}) { totalCount } }`;
      assert.deepEqual(errorCodes(await client.gateway(literal, {}, admin)), ['BAD_USER_INPUT'], literal);
    }
    const wrongRole = await client.gateway('query($r: Role) { users(role: $r) { totalCount } }', { r: 'ROOT' }, admin);
    assert.deepEqual(errorCodes(wrongRole), ['BAD_USER_INPUT']);
    const wrongRoleLiteral = await client.gateway('{ users(role: ROOT) { totalCount } }', {}, admin);
    assert.deepEqual(errorCodes(wrongRoleLiteral), ['BAD_USER_INPUT'], 'a refused literal is bad input too');
  });

  test('a disabled investor: their token refused on every subgraph, through the gateway and directly; login refused', async () => {
    const { mobile } = identityFor(504);
    const investor = await register(mobile, 'INVESTOR');
    const before = await codesEverywhere(investor.token);
    assert.ok(
      before.every((line) => !line.endsWith('UNAUTHENTICATED')),
      before.join('; '),
    );

    const disabled = dataOf(await act('disableUser', investor.id, '涉嫌欺诈，冻结账户')).disableUser;
    assert.deepEqual(disabled, { id: investor.id, status: 'DISABLED' });
    // users refuses at once (same transaction); the others once the event reached them.
    assert.equal(await codeOn('users', investor.token, true), 'UNAUTHENTICATED');
    await eventually(async () => {
      const codes = await codesEverywhere(investor.token);
      return codes.every((line) => line.endsWith('UNAUTHENTICATED')) ? codes : undefined;
    }, 30_000);
    const refused = await login(mobile);
    assert.deepEqual(errorCodes(refused), ['FORBIDDEN']);
    assert.equal(refused.errors?.[0].extensions?.reason, 'ACCOUNT_DISABLED');
    // A wrong password says nothing about the account being disabled.
    assert.deepEqual(errorCodes(await login(mobile, 'wrong-pass-1')), ['UNAUTHENTICATED']);

    const enabled = dataOf(await act('enableUser', investor.id, '核实无误，恢复')).enableUser;
    assert.equal(enabled.status, 'ACTIVE');
    const fresh = dataOf(await login(mobile)).login.token as string;
    const freshCodes = await codesEverywhere(fresh);
    assert.ok(
      freshCodes.every((line) => !line.endsWith('UNAUTHENTICATED')),
      freshCodes.join('; '),
    );
    const oldCodes = await codesEverywhere(investor.token);
    assert.ok(
      oldCodes.every((line) => line.endsWith('UNAUTHENTICATED')),
      `the old token stays refused: ${oldCodes}`,
    );

    const audit = await account(investor.id);
    assert.equal(audit.status, 'ACTIVE');
    assert.equal(audit.adminActions.totalCount, 2);
    const [enable, disable] = audit.adminActions.edges.map((edge: { node: unknown }) => edge.node);
    assert.deepEqual(
      [enable.action, enable.reason, enable.adminId, enable.admin],
      ['ENABLE', '核实无误，恢复', adminId, { id: adminId, mobile: TEST_ADMIN.mobile }],
    );
    assert.deepEqual([disable.action, disable.reason, disable.adminId], ['DISABLE', '涉嫌欺诈，冻结账户', adminId]);
    assert.ok(Date.parse(disable.createdAt) <= Date.parse(enable.createdAt));
  });

  test('unlockUser ends a lockout after five wrong passwords: the user signs in again', async () => {
    const { mobile } = identityFor(505);
    const user = await register(mobile, 'BORROWER');
    assert.deepEqual(errorCodes(await act('unlockUser', user.id, '用户来电')), ['CONFLICT'], 'not locked');
    const codes: string[] = [];
    for (let guess = 0; guess < 5; guess += 1) codes.push(String(errorCodes(await login(mobile, 'wrong-pass-1'))[0]));
    assert.equal(codes.at(-1), 'RATE_LIMITED');
    assert.deepEqual(errorCodes(await login(mobile)), ['RATE_LIMITED'], 'locked, the right password too');
    assert.ok((await account(user.id)).lockedUntil !== null);
    assert.equal(dataOf(await act('unlockUser', user.id, '用户来电，已核实身份')).unlockUser.status, 'ACTIVE');
    assert.equal((await account(user.id)).lockedUntil, null);
    assert.equal(typeof dataOf(await login(mobile)).login.token, 'string');
    const [unlock] = (await account(user.id)).adminActions.edges;
    assert.deepEqual([unlock.node.action, unlock.node.reason], ['UNLOCK', '用户来电，已核实身份']);
  });

  test('bad input, another role, self, unknown ids and wrong states are refused and change nothing', async () => {
    const target = await register(identityFor(506).mobile, 'INVESTOR');
    const other = await register(identityFor(507).mobile, 'BORROWER');
    const cases: { mutation: AdminMutation; userId: string; reason: string; token?: string; code: string }[] = [
      { mutation: 'disableUser', userId: target.id, reason: '', code: 'BAD_USER_INPUT' },
      { mutation: 'disableUser', userId: target.id, reason: '   ', code: 'BAD_USER_INPUT' },
      { mutation: 'disableUser', userId: target.id, reason: '长'.repeat(201), code: 'BAD_USER_INPUT' },
      { mutation: 'enableUser', userId: target.id, reason: 'x'.repeat(201), code: 'BAD_USER_INPUT' },
      { mutation: 'disableUser', userId: 'not-an-id', reason: 'why', code: 'BAD_USER_INPUT' },
      { mutation: 'disableUser', userId: newId(), reason: 'why', code: 'NOT_FOUND' },
      { mutation: 'unlockUser', userId: newId(), reason: 'why', code: 'NOT_FOUND' },
      { mutation: 'disableUser', userId: adminId, reason: 'myself', code: 'FORBIDDEN' },
      { mutation: 'enableUser', userId: target.id, reason: 'not disabled', code: 'CONFLICT' },
      { mutation: 'unlockUser', userId: target.id, reason: 'not locked', code: 'CONFLICT' },
      { mutation: 'disableUser', userId: target.id, reason: 'why', token: other.token, code: 'FORBIDDEN' },
      { mutation: 'disableUser', userId: other.id, reason: 'why', token: target.token, code: 'FORBIDDEN' },
      { mutation: 'unlockUser', userId: target.id, reason: 'why', token: '', code: 'UNAUTHENTICATED' },
    ];
    for (const { mutation, userId, reason, token, code } of cases) {
      for (const { query, variables } of bothForms(mutation, userId, reason)) {
        const response = await client.gateway(query, variables, token === '' ? undefined : (token ?? admin));
        assert.deepEqual(errorCodes(response), [code], `${query} ${JSON.stringify(variables ?? {})}`);
      }
    }
    // A second disable of a disabled user is a state refusal too.
    dataOf(await act('disableUser', other.id, 'first'));
    assert.deepEqual(errorCodes(await act('disableUser', other.id, 'second')), ['CONFLICT']);
    for (const id of [target.id, adminId]) {
      const after = await account(id);
      assert.deepEqual([after.status, after.adminActions.totalCount], ['ACTIVE', 0], `${id} unchanged`);
    }
    assert.equal((await account(other.id)).adminActions.totalCount, 1);
    assert.ok(!(await codesEverywhere(target.token)).some((line) => line.endsWith('UNAUTHENTICATED')));
  });

  test("a disabled admin's open subscription closes with 4401, and that token cannot subscribe again", async () => {
    const { mobile } = identityFor(508);
    const create = 'mutation($m: String!, $p: String!) { createAdmin(mobile: $m, password: $p) { id } }';
    const secondId = dataOf(await client.gateway(create, { m: mobile, p: PASSWORD }, admin)).createAdmin.id;
    const second = dataOf(await login(mobile)).login.token as string;
    const baseline = await gatewayMetric(platform.gateway.url, 'wanxin_subscription_subscribers');
    const open = connectSubscriptions(platform.gateway.url, second);
    const stats = watch(open.client, 'platformStats', 'subscription { platformStats { date } }');
    await subscribed(platform.gateway.url, baseline + 1);

    dataOf(await act('disableUser', secondId, '离职'));
    await eventually(async () => (open.closeCodes.length > 0 ? true : undefined), 30_000);
    assert.deepEqual(open.closeCodes, [4401]);
    const again = connectSubscriptions(platform.gateway.url, second);
    const refused = watch(again.client, 'platformStats', 'subscription { platformStats { date } }');
    await eventually(async () => (again.closeCodes.length > 0 ? true : undefined), 30_000);
    assert.deepEqual(again.closeCodes, [4401]);
    assert.deepEqual(refused.events, []);
    stats.stop();
    await Promise.all([open.client.dispose(), again.client.dispose()]);
  });
});
