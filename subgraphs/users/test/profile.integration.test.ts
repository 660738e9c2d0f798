// The profile over HTTP on libsql and MariaDB: the user saves and replaces it (variables and literals),
// admins read it, anyone else reads null, and every refused input names its field and changes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpService } from '@wanxin/platform';
import {
  createTestEnvironment,
  databaseKindsUnderTest,
  dataOf,
  errorCodes,
  TEST_ADMIN,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { callAsGateway, COMPLETE_PROFILE, registerUser, startUsers } from './users-under-test';

const PROFILE_FIELDS =
  'education address email employer position monthlyIncome emergencyContacts { name relation mobile }';
const UPDATE = `mutation($input: ProfileInput!) { updateProfile(input: $input) { ${PROFILE_FIELDS} } }`;
const PROFILE = {
  ...COMPLETE_PROFILE,
  monthlyIncome: '12000.00',
  emergencyContacts: [
    ...COMPLETE_PROFILE.emergencyContacts,
    { name: '李小红', relation: '同事', mobile: '13700000002' },
  ],
};

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`users profile on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let service: HttpService;
    let adminToken: string;
    let addressNumber = 1;
    const call = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      callAsGateway(service, environment, '10.1.0.1', query, variables, token);
    const register = (mobile: string) => {
      addressNumber += 1;
      const address = `10.1.1.${addressNumber}`;
      return registerUser((query, variables) => callAsGateway(service, environment, address, query, variables), mobile);
    };
    const profileAs = async (userId: string, token: string) =>
      dataOf(await call(`query($id: ID!) { user(id: $id) { profile { ${PROFILE_FIELDS} } } }`, { id: userId }, token))
        .user.profile;

    before(async () => {
      environment = createTestEnvironment(kind);
      service = await startUsers(environment);
      const login =
        'mutation($mobile: String!, $password: String!) { login(mobile: $mobile, password: $password) { token } }';
      adminToken = dataOf(await call(login, TEST_ADMIN)).login.token;
    });
    after(async () => {
      await service?.stop();
      await environment?.cleanup();
    });

    test('the user saves a profile, replaces it with literals, and admins read it in full', async () => {
      const borrower = await register('13800001001');
      assert.equal(await profileAs(borrower.id, borrower.token), null, 'no profile before the first save');
      assert.deepEqual(dataOf(await call(UPDATE, { input: PROFILE }, borrower.token)).updateProfile, PROFILE);
      const literal = `mutation { updateProfile(input: {
        education: "MASTER", address: "上海市浦东新区 2 号", email: "w@example.cn", employer: "万信", position: "经理",
        monthlyIncome: "0.00", emergencyContacts: [{ name: "王大明", relation: "父亲", mobile: "13700000001" }]
      }) { ${PROFILE_FIELDS} } }`;
      const replaced = {
        education: 'MASTER',
        address: '上海市浦东新区 2 号',
        email: 'w@example.cn',
        employer: '万信',
        position: '经理',
        monthlyIncome: '0.00',
        emergencyContacts: [{ name: '王大明', relation: '父亲', mobile: '13700000001' }],
      };
      assert.deepEqual(dataOf(await call(literal, {}, borrower.token)).updateProfile, replaced);
      assert.deepEqual(await profileAs(borrower.id, borrower.token), replaced, 'one row, replaced whole');
      assert.deepEqual(await profileAs(borrower.id, adminToken), replaced);
    });

    test('anyone but the user and admins reads null, signed in or not', async () => {
      const owner = await register('13800001002');
      const other = await register('13800001003');
      dataOf(await call(UPDATE, { input: PROFILE }, owner.token));
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { profile { email } } } }`;
      const representations = [{ __typename: 'User', id: owner.id }];
      for (const token of [other.token, undefined]) {
        assert.deepEqual(dataOf(await call(query, { r: representations }, token))._entities, [{ profile: null }]);
      }
      assert.deepEqual(dataOf(await call(query, { r: representations }, owner.token))._entities, [
        { profile: { email: PROFILE.email } },
      ]);
    });

    test('a refused input is BAD_USER_INPUT naming its field and changes nothing', async () => {
      const borrower = await register('13800001004');
      dataOf(await call(UPDATE, { input: PROFILE }, borrower.token));
      const [first] = PROFILE.emergencyContacts;
      const cases: [Record<string, unknown>, string][] = [
        [{ email: 'not-an-email' }, 'email'],
        [{ address: ' ' }, 'address'],
        [{ employer: 'x'.repeat(101) }, 'employer'],
        [{ monthlyIncome: '-1.00' }, 'monthlyIncome'],
        [{ emergencyContacts: [] }, 'emergencyContacts'],
        [{ emergencyContacts: [first, first, first] }, 'emergencyContacts'],
        [{ emergencyContacts: [{ ...first, mobile: '1370000000' }] }, 'emergencyContacts[0].mobile'],
        [{ emergencyContacts: [{ ...first, mobile: '13800001004' }] }, 'emergencyContacts[0].mobile'],
        [{ emergencyContacts: [first, { ...first, name: '李四' }] }, 'emergencyContacts[1].mobile'],
      ];
      for (const [change, field] of cases) {
        const response = await call(UPDATE, { input: { ...PROFILE, ...change } }, borrower.token);
        assert.deepEqual(errorCodes(response), ['BAD_USER_INPUT'], JSON.stringify(change));
        if (field !== 'monthlyIncome')
          assert.equal(response.errors?.[0]?.extensions?.field, field, JSON.stringify(change));
      }
      assert.deepEqual(await profileAs(borrower.id, borrower.token), PROFILE, 'the saved profile is unchanged');
    });

    test('signed-out callers and admins cannot save a profile', async () => {
      assert.deepEqual(errorCodes(await call(UPDATE, { input: PROFILE })), ['UNAUTHENTICATED']);
      assert.deepEqual(errorCodes(await call(UPDATE, { input: PROFILE }, adminToken)), ['FORBIDDEN']);
    });
  });
}
