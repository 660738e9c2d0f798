// Proves SMS through the gateway with every service its own process on MariaDB and RabbitMQ and
// SMS_CODE_REQUIRED=1, as production runs it: a registration code asked for (as variables and as a
// literal) arrives on the phone (the SMS provider's inbox) and registers the mobile once; registering
// without it, with a wrong one, or asking a sixth time within the hour (20 at once) is refused; with the
// SMS provider down the code waits PENDING in the SMS outbox (seen by the admin) and arrives after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, errorCodes, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { SMS_PATHS } from '@wanxin/platform/sms-protocol';
import { readInbox, switchOutage } from '@wanxin/sms-simulator/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const REQUEST_CODE = 'mutation($m: String!) { requestSmsCode(mobile: $m) { expiresAt } }';
const REGISTER = 'mutation($i: RegisterInput!) { register(input: $i) { token } }';
const OUTBOX = 'query($m: String!) { smsMessages(mobile: $m, first: 5) { edges { node { status attempts mobile } } } }';

describe('SMS codes through the gateway (own processes, MariaDB, RabbitMQ, SMS provider)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  let memberNumber = 900;
  const smsUrl = () => `http://127.0.0.1:${platform.sms.port}`;
  const newMobile = () => identityFor(memberNumber++).mobile;
  const register = (mobile: string, smsCode?: string) =>
    client.gateway(REGISTER, { i: { mobile, password: 'secret-pass-1', role: 'BORROWER', smsCode } });
  const codeOnPhone = async (mobile: string) => {
    const [text] = await eventually(async () => {
      const texts = await readInbox(smsUrl(), mobile);
      return texts.length > 0 ? texts : undefined;
    }, 30_000);
    return text.params.code;
  };

  before(async () => {
    platform = await startPlatform('mysql', true, { SMS_CODE_REQUIRED: '1', SMS_SEND_INTERVAL_MS: '200' });
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
  });
  after(async () => platform?.stop());

  test('asked as variables and as a literal, the code on the phone registers the mobile; none or a wrong one is refused', async () => {
    const mobile = newMobile();
    assert.deepEqual(errorCodes(await register(mobile)), ['BAD_USER_INPUT']);
    dataOf(await client.gateway(REQUEST_CODE, { m: mobile }));
    const code = await codeOnPhone(mobile);
    assert.deepEqual(errorCodes(await register(mobile, code === '000000' ? '999999' : '000000')), ['BAD_USER_INPUT']);
    assert.ok(dataOf(await register(mobile, code)).register.token);

    const other = newMobile();
    dataOf(await client.gateway(`mutation { requestSmsCode(mobile: "${other}") { expiresAt } }`));
    const literal = `mutation { register(input: { mobile: "${other}", password: "secret-pass-1", role: INVESTOR,
      smsCode: "${await codeOnPhone(other)}" }) { token } }`;
    assert.ok(dataOf(await client.gateway(literal)).register.token);
    assert.deepEqual(errorCodes(await client.gateway(REQUEST_CODE, { m: other })), ['CONFLICT'], 'registered');
  });

  test('20 requests for one mobile at once send 5 codes; the rest are RATE_LIMITED', async () => {
    const mobile = newMobile();
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.gateway(REQUEST_CODE, { m: mobile })));
    assert.equal(answers.filter((answer) => answer.errors === undefined).length, 5);
    assert.deepEqual(
      [...new Set(answers.filter((answer) => answer.errors !== undefined).flatMap(errorCodes))],
      ['RATE_LIMITED'],
    );
    await eventually(async () => ((await readInbox(smsUrl(), mobile)).length === 5 ? true : undefined), 30_000);
  });

  test('with the SMS provider down the code waits PENDING and arrives once it is back', async () => {
    const mobile = newMobile();
    assert.equal(await switchOutage(`${smsUrl()}${SMS_PATHS.outage}`, 600_000), 200);
    try {
      dataOf(await client.gateway(REQUEST_CODE, { m: mobile }));
      const pending = await eventually(async () => {
        const [edge] = dataOf(await client.gateway(OUTBOX, { m: mobile }, admin)).smsMessages.edges;
        return edge !== undefined && edge.node.attempts >= 2 ? edge.node : undefined;
      }, 30_000);
      assert.equal(pending.status, 'PENDING');
      assert.equal(pending.mobile, `${mobile.slice(0, 3)}****${mobile.slice(7)}`);
      assert.deepEqual(await readInbox(smsUrl(), mobile), []);
    } finally {
      assert.equal(await switchOutage(`${smsUrl()}${SMS_PATHS.outage}`, 0), 200);
    }
    assert.ok(dataOf(await register(mobile, await codeOnPhone(mobile))).register.token);
    const [sent] = dataOf(await client.gateway(OUTBOX, { m: mobile }, admin)).smsMessages.edges;
    assert.equal(sent.node.status, 'SENT');
    assert.equal((await readInbox(smsUrl(), mobile)).length, 1);
  });
});
