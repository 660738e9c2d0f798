// Proves that reconciliation goes by the business date, on libsql and MariaDB, with the real agent and bank
// simulator: with the business date 3 days ahead of the wall clock, every instruction the agent sends that
// day — two account openings and a recharge on the bank's page, a project and a freeze alone, a freeze in a
// batch — carries that date as its accountingDate, is recorded under it at the platform and booked under it
// at the bank, so reconciliation(businessDate) matches all of them and reconciliation(wall-clock day) lists
// none of them. (The bank's refusal of an instruction without accountingDate: bank-bad-input.test.ts.)
// The business date reaches the agent through this process's in-process transport (business-date.ts); the
// bank's notifications go to the harness's inbox and the test hands them to the agent, as the bank would.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  bankUserNoFor,
  forkEntityManager,
  InternalBankClient,
  issueToken,
  newId,
  resolveServiceSecret,
  type BankOutcome,
  type Database,
  type HttpService,
} from '@wanxin/platform';
import { databaseKindsUnderTest, dataOf, postGraphQL } from '@wanxin/platform/testing';
import { requestNo, TRADE_PASSWORD, type BankHarness } from '@wanxin/bank-simulator/testing';
import { BANK_CODES, decodeData } from '@wanxin/platform/bank-protocol';
import { DepositoryRequest } from '../src/entities/depository-request.entity';
import { dateAfter, deliverBusinessDate } from './business-date';
import { deliverVerifiedIdentity } from './verified-identity';
import { openAccountInputFor, startAgentBesideHarness, type AgentBesideHarness, type BankRedirect } from './testing';

const OPEN = 'mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { requestNo fields { name value } } }';
const RECHARGE = 'mutation($a: Money!) { recharge(amount: $a) { requestNo fields { name value } } }';
const REPORT_FIELDS = 'matched notSubmitted missingAtBank missingAtPlatform mismatched platformAmount bankAmount';
const REPORT = `query($d: Date!) { reconciliation(date: $d) { ${REPORT_FIELDS} discrepancies { requestNo result } } }`;
const BUSINESS_DAYS_AHEAD = 3;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`reconciliation by business date, ahead of the wall clock, on ${kind}`, { skip }, () => {
    let suite: AgentBesideHarness;
    let harness: BankHarness;
    let agent: HttpService;
    let orm: Database;
    let signingKeyPem: string;
    let agentClient: InternalBankClient;
    let seed = 900;

    const token = (userId: string, role: 'ADMIN' | 'INVESTOR' = 'INVESTOR') =>
      issueToken({ id: userId, role }, signingKeyPem, 3600).token;
    /** The redirect's signed reqData, as the bank will read it. */
    const reqDataOf = (redirect: BankRedirect) =>
      JSON.parse(decodeData(redirect.fields.find((field) => field.name === 'reqData')!.value)!) as Record<
        string,
        unknown
      >;
    /** Submits the bank page with the trade password, then hands the bank's notification to the agent. */
    const complete = async (redirect: BankRedirect) => {
      const page = await suite.submitPage(redirect, TRADE_PASSWORD);
      assert.equal(page.code, BANK_CODES.SUCCESS, page.html);
      await suite.deliverNotification(redirect.requestNo);
    };
    const openAccount = async (userId: string): Promise<BankRedirect> => {
      const input = openAccountInputFor((seed += 1));
      await deliverVerifiedIdentity(userId, input.realName, input.idNumber);
      const redirect: BankRedirect = dataOf(
        await postGraphQL(agent.url, OPEN, { i: input }, token(userId)),
      ).openDepositoryAccount;
      await complete(redirect);
      return redirect;
    };
    const done = (outcome: BankOutcome) => {
      assert.equal(outcome.kind, 'DONE', JSON.stringify(outcome));
    };

    before(async () => {
      suite = await startAgentBesideHarness(kind, { DEPOSITORY_SYNC_INTERVAL_MS: '3600000' });
      ({ harness, agent, orm, signingKeyPem } = suite);
      agentClient = new InternalBankClient(
        agent.url.replace('/graphql', ''),
        resolveServiceSecret(harness.environment.config.dataDir, undefined),
        10_000,
      );
    });
    after(() => suite?.stop());

    test('instructions sent on a business day ahead of the wall clock reconcile on that day, not on the wall-clock day', async () => {
      const today = dateAfter(Date.now(), 0);
      const businessDay = dateAfter(Date.now(), BUSINESS_DAYS_AHEAD);
      await deliverBusinessDate(businessDay);

      const [investorId, borrowerId] = [newId(), newId()];
      const openings = [await openAccount(investorId), await openAccount(borrowerId)];
      const recharge: BankRedirect = dataOf(
        await postGraphQL(agent.url, RECHARGE, { a: '1000.00' }, token(investorId)),
      ).recharge;
      for (const redirect of [...openings, recharge])
        assert.equal(reqDataOf(redirect).accountingDate, businessDay, 'the bank page carries the business date');
      await complete(recharge);

      const projectNo = `LN${randomBytes(8).toString('hex').toUpperCase()}`;
      const tender = (amountFen: string) => ({
        requestNo: requestNo('T'),
        userNo: bankUserNoFor(investorId),
        projectNo,
        bizType: 'TENDER',
        amountFen,
      });
      const project = { requestNo: requestNo('P') };
      done(
        await agentClient.instruct('CREATE_PROJECT', {
          ...project,
          projectNo,
          borrowerUserNo: bankUserNoFor(borrowerId),
          amountFen: '300000',
          name: 'Shop fit-out',
        }),
      );
      const alone = tender('10000');
      done(await agentClient.instruct('USER_AUTO_PRE_TRANSACTION', alone, investorId));
      const inBatch = tender('20000');
      const [batched] = await agentClient.instructBatch([
        { serviceName: 'USER_AUTO_PRE_TRANSACTION', reqData: inBatch, userId: investorId },
      ]);
      done(batched);

      const sent = [...openings, recharge, project, alone, inBatch].map((each) => each.requestNo);
      const rows = await forkEntityManager(orm).find(DepositoryRequest, { requestNo: { $in: sent } });
      assert.deepEqual(
        rows.map((row) => [row.requestNo, row.status, row.businessDate]).sort(),
        sent.map((number) => [number, 'SYNC', businessDay]).sort(),
        'every instruction is recorded, confirmed, on the business date',
      );

      const admin = token(newId(), 'ADMIN');
      const onBusinessDay = dataOf(await postGraphQL(agent.url, REPORT, { d: businessDay }, admin)).reconciliation;
      assert.deepEqual(onBusinessDay, {
        matched: sent.length,
        notSubmitted: 0,
        missingAtBank: 0,
        missingAtPlatform: 0,
        mismatched: 0,
        platformAmount: '4300.00',
        bankAmount: '4300.00',
        discrepancies: [],
      });
      // The same day asked for as a literal in the document.
      const literal = `{ reconciliation(date: "${businessDay}") { matched discrepancies { requestNo } } }`;
      assert.deepEqual(dataOf(await postGraphQL(agent.url, literal, {}, admin)).reconciliation, {
        matched: sent.length,
        discrepancies: [],
      });

      const onWallClockDay = dataOf(await postGraphQL(agent.url, REPORT, { d: today }, admin)).reconciliation;
      assert.deepEqual(
        [onWallClockDay.matched, onWallClockDay.discrepancies],
        [0, []],
        'nothing was sent on the wall-clock day',
      );
    });
  });
}
