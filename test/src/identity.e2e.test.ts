// Identity verification through the gateway, every service its own process (MariaDB, RabbitMQ, the
// identity provider's simulator): verifyIdentity with variables and with literals goes PENDING → VERIFIED by
// the provider's callback, sets the user's real name and ID number, and a second user's claim on the same
// number is CONFLICT. A request with three photographs passes the gateway's and users' body limits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { idNumberCheckCharacter } from '@wanxin/platform';
import { dataOf, errorCodes, eventually, postGraphQL, servicesUnderTest } from '@wanxin/platform/testing';
import { startPlatform, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);
const VERIFY = 'mutation($input: IdentityInput!) { verifyIdentity(input: $input) { status idNumber } }';
const ME = '{ me { realName idNumber identity { status } } }';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const idNumberOf = (sequence: string) => {
  const first17 = `11010519900101${sequence}`;
  return first17 + idNumberCheckCharacter(first17);
};
/** A PNG of about `bytes` bytes: the signature and filler that differs by `seed`. */
const png = (seed: string, bytes = 64) => Buffer.concat([PNG_SIGNATURE, Buffer.alloc(bytes, seed)]).toString('base64');

describe(
  'identity verification through the gateway (own processes, MariaDB, RabbitMQ, identity provider)',
  { skip },
  () => {
    let platform: RunningPlatform;
    const gateway = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      postGraphQL(platform.gateway.url, query, variables, token);
    const register = async (mobile: string) => {
      const query = `mutation { register(input: { mobile: "${mobile}", password: "secret-pass-1", role: BORROWER }) { token } }`;
      return dataOf(await gateway(query)).register.token as string;
    };
    const verified = (token: string) =>
      eventually(async () => {
        const me = dataOf(await gateway(ME, {}, token)).me;
        // The user row and the check are read by two statements: wait until both show the verification.
        return me.identity?.status === 'VERIFIED' && me.realName !== null ? me : undefined;
      }, 20_000);

    before(async () => {
      platform = await startPlatform('mysql', true);
    });
    after(async () => platform?.stop());

    test('with variables: 1.5 MiB photographs pass the body limits, VERIFIED sets name and ID number', async () => {
      const token = await register('13600009001');
      const idNumber = idNumberOf('201');
      const megabyte = 1024 * 1024;
      const input = {
        realName: '王小明',
        idNumber,
        idFrontImage: png('a', 1.5 * megabyte),
        idBackImage: png('b', 1.5 * megabyte),
        faceImage: png('c', 1.5 * megabyte),
      };
      assert.deepEqual(dataOf(await gateway(VERIFY, { input }, token)).verifyIdentity, { status: 'PENDING', idNumber });
      const me = await verified(token);
      assert.deepEqual([me.realName, me.idNumber], ['王小明', idNumber]);
      const other = await register('13600009002');
      assert.deepEqual(errorCodes(await gateway(VERIFY, { input }, other)), ['CONFLICT']);
    });

    test('with literals: the same path, and a bad photograph is BAD_USER_INPUT naming the field', async () => {
      const token = await register('13600009003');
      const idNumber = idNumberOf('202');
      const literal = (
        faceImage: string,
      ) => `mutation { verifyIdentity(input: { realName: "李四", idNumber: "${idNumber}",
      idFrontImage: "${png('d')}", idBackImage: "${png('e')}", faceImage: "${faceImage}" }) { status idNumber } }`;
      const refused = await gateway(literal(Buffer.from('GIF89a').toString('base64')), {}, token);
      assert.deepEqual(errorCodes(refused), ['BAD_USER_INPUT']);
      assert.equal(refused.errors?.[0]?.extensions?.field, 'faceImage');
      assert.deepEqual(dataOf(await gateway(literal(png('f')), {}, token)).verifyIdentity, {
        status: 'PENDING',
        idNumber,
      });
      const me = await verified(token);
      assert.deepEqual([me.realName, me.idNumber], ['李四', idNumber]);
    });
  },
);
