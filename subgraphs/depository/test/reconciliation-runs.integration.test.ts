// Proves the depository's reconciliation of business days against the real bank simulator, on libsql and
// MariaDB: `repayments.business-date.advanced` records its day once however often it is delivered; the
// running agent reconciles a recorded day that is over by itself; a day is reconciled only once it is
// over (today waits for midnight or the business date's next day; a business day ahead of the wall clock is
// over once the business date has moved past it), then its counts are
// stored, equal to what the admin's reconciliation(date) reports, and every discrepancy is logged at
// warn, and depository.reconciliation.completed is published once per day; reconciliationRuns shows the runs
// to admins only, newest day first, and PlatformStats.lastReconciledDate the newest completed day.
// Shortcuts, said plainly: the event is handed to the agent through this process's in-process transport
// (business-date.ts), not RabbitMQ; the platform-only request the bank never saw is a row inserted into
// the agent's table; "after midnight" is the job's pass called directly with tomorrow's 00:00 as its
// clock (the agent's own job polls hourly here), with a logger whose warn lines the test reads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  bankUserNoFor,
  createLogger,
  forkEntityManager,
  OutboxMessage,
  issueToken,
  newId,
  type Database,
  type Logger,
} from '@wanxin/platform';
import {
  databaseKindsUnderTest,
  dataOf,
  errorCodes,
  eventually,
  postGraphQL,
  startSubgraphOnFreePort,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { startAgentSuite, testRequestNo, type AgentSuite, type BankAndAgent } from './testing';
import { createSubgraph } from '../src';
import { DepositoryRequest } from '../src/entities/depository-request.entity';
import { ReconciliationRun } from '../src/entities/reconciliation-run.entity';
import { reconciliationRunOnDateAdvanced } from '../src/events/business-date-advanced.subscription';
import { reconcileBusinessDays } from '../src/jobs/reconcile-business-days';
import { reconcileDay } from '../src/operations/reconcile-day';
import type { DepositoryServices } from '../src/services';
import { dateAfter, deliverBusinessDate, deliverBusinessDateAgain } from './business-date';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { ReconciliationCompleted } from '@wanxin/platform/contracts';

const COUNTS = 'matched notSubmitted missingAtBank missingAtPlatform mismatched platformAmount bankAmount';
const REPORT = `query($date: Date!) { reconciliation(date: $date) { ${COUNTS} discrepancies { requestNo result } } }`;
const RUNS = `query($first: Int) { reconciliationRuns(first: $first) { date ${COUNTS} requestedAt completedAt } }`;
const LAST_RECONCILED = `query($date: Date!) { _entities(representations: [{ __typename: "PlatformStats", date: $date }])
  { ... on PlatformStats { date lastReconciledDate } } }`;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`reconciliation of business days, with the bank, on ${kind}`, { skip }, () => {
    let suite: AgentSuite;
    let environment: TestEnvironment;
    let bank: BankAndAgent;
    let orm: Database;
    let services: DepositoryServices;
    let signingKeyPem: string;
    /** What the job logged at warn during the direct passes. */
    const warnings: Record<string, unknown>[] = [];
    const startMs = Date.now();
    const run = (date: string) => forkEntityManager(orm).findOneOrFail(ReconciliationRun, { date });
    const admin = () => issueToken({ id: newId(), role: 'ADMIN' }, signingKeyPem, 3600).token;
    /** A SYNC request the platform recorded on business date `businessDate` and the bank never saw. */
    const platformOnlyRequest = async (businessDate: string) => {
      const requestNo = testRequestNo('CFL');
      const em = forkEntityManager(orm);
      await em.insert(
        em.create(
          DepositoryRequest,
          { requestNo, serviceName: 'CONFIRM_LOAN', amountFen: 123_400n, status: 'SYNC', businessDate },
          { persist: false },
        ),
      );
      return requestNo;
    };

    before(async () => {
      const logger: Logger = createLogger('reconciliation-test', 'silent');
      logger.warn = ((fields: Record<string, unknown>) => warnings.push(fields)) as Logger['warn'];
      suite = await startAgentSuite(kind, logger);
      ({ environment, bank, orm, services, signingKeyPem } = suite);
    });
    after(async () => {
      await suite?.stop();
    });

    test('a day delivered twice, and announced again in another message, is recorded and reconciled once', async () => {
      const date = dateAfter(startMs, -30);
      await deliverBusinessDateAgain(orm, `depository.${reconciliationRunOnDateAdvanced.name}`, date);
      assert.equal(await forkEntityManager(orm).count(ReconciliationRun, { date }), 1);
      assert.deepEqual(await reconcileBusinessDays(services), [date]);
      assert.deepEqual(await reconcileBusinessDays(services), [], 'a completed day does not run again');
      const completed = await forkEntityManager(orm).find(OutboxMessage, {
        type: ReconciliationCompleted.type,
        aggregateId: date,
      });
      assert.deepEqual(
        completed.map((row) => JSON.parse(row.body).payload),
        [{ date }],
        'announced once, for the dashboard',
      );
    });

    test('the running agent reconciles a recorded day that is over by itself', async () => {
      const definition = createSubgraph();
      // A second agent whose background pass comes often; the first one's would too, an hour from now.
      const replica = await startSubgraphOnFreePort(definition, environment.env, {
        BANK_URL: bank.bank.url.replace('localhost', '127.0.0.1'),
        DEPOSITORY_SYNC_INTERVAL_MS: '100',
      });
      try {
        const yesterday = dateAfter(startMs, -1);
        await platformOnlyRequest(yesterday);
        await deliverBusinessDate(yesterday);
        const completed = await eventually(async () =>
          (await run(yesterday)).completedAt !== null ? run(yesterday) : undefined,
        );
        assert.deepEqual(
          [completed.matched, completed.missingAtBank, completed.missingAtPlatform, completed.platformAmountFen],
          [0, 1, 0, 123_400n],
        );
      } finally {
        await replica.stop();
      }
    });

    test("today is reconciled once it is over: the stored run equals the admin's report, each discrepancy logged at warn", async () => {
      const today = dateAfter(startMs, 0);
      const tomorrow = dateAfter(startMs, 1);
      // The business date is today: the instructions below are sent on it.
      await deliverBusinessDate(today);
      const borrowerId = newId();
      await bank.register(borrowerId);
      const agentClient = suite.agentClient;
      const project = await agentClient.send('CREATE_PROJECT', {
        requestNo: testRequestNo('PRJ'),
        projectNo: `LN${randomBytes(8).toString('hex').toUpperCase()}`,
        borrowerUserNo: bankUserNoFor(borrowerId),
        amountFen: '300000',
        name: 'Shop fit-out',
      });
      assert.ok(project.kind === 'ANSWERED' && project.result.code === BANK_CODES.SUCCESS, JSON.stringify(project));
      const missingAtBank = await platformOnlyRequest(today);

      // At the suite's start, not the wall clock's now: a run that crosses midnight UTC would find today over.
      assert.deepEqual(await reconcileBusinessDays(services, new Date(startMs)), [], 'today is not over');
      assert.equal((await run(today)).completedAt, null);
      const afterMidnight = new Date(`${tomorrow}T00:00:00.000Z`);
      assert.deepEqual(
        await reconcileBusinessDays(services, afterMidnight),
        [today],
        'today is over on the wall clock',
      );
      await deliverBusinessDate(tomorrow);
      assert.equal((await run(tomorrow)).completedAt, null);

      const report = dataOf(await postGraphQL(bank.agent.url, REPORT, { date: today }, admin())).reconciliation;
      const stored = await run(today);
      const fen = (money: string) => BigInt(money.replace('.', ''));
      assert.deepEqual(
        [
          stored.matched,
          stored.notSubmitted,
          stored.missingAtBank,
          stored.missingAtPlatform,
          stored.mismatched,
          stored.platformAmountFen,
          stored.bankAmountFen,
        ],
        [
          report.matched,
          report.notSubmitted,
          report.missingAtBank,
          report.missingAtPlatform,
          report.mismatched,
          fen(report.platformAmount),
          fen(report.bankAmount),
        ],
      );
      assert.deepEqual(
        [stored.matched, stored.missingAtBank, stored.missingAtPlatform, stored.mismatched],
        [1, 1, 1, 0],
        'the project; the platform-only request; the account opened on the bank page',
      );
      const logged = warnings
        .filter((fields) => fields.date === today)
        .map((fields) => [fields.requestNo, fields.result]);
      const discrepancies = report.discrepancies
        .filter((line: { result: string }) => line.result !== 'NOT_SUBMITTED')
        .map((line: { requestNo: string; result: string }) => [line.requestNo, line.result]);
      assert.deepEqual(logged, discrepancies);
      assert.ok(logged.some(([requestNo, result]) => requestNo === missingAtBank && result === 'MISSING_AT_BANK'));
    });

    test('reconciliationRuns: admins only, newest day first, a day still to run without completedAt', async () => {
      assert.deepEqual(
        errorCodes(
          await postGraphQL(
            bank.agent.url,
            RUNS,
            {},
            issueToken({ id: newId(), role: 'INVESTOR' }, signingKeyPem, 3600).token,
          ),
        ),
        ['FORBIDDEN'],
      );
      assert.deepEqual(errorCodes(await postGraphQL(bank.agent.url, RUNS, { first: 101 }, admin())), [
        'BAD_USER_INPUT',
      ]);
      const runs = dataOf(await postGraphQL(bank.agent.url, RUNS, { first: 3 }, admin())).reconciliationRuns;
      assert.deepEqual(
        runs.map((row: { date: string }) => row.date),
        [dateAfter(startMs, 1), dateAfter(startMs, 0), dateAfter(startMs, -1)],
      );
      assert.equal(runs[0].completedAt, null);
      assert.ok(runs[1].completedAt !== null && runs[2].completedAt !== null);
      assert.equal(runs[2].missingAtBank, 1);
      const today = dateAfter(startMs, 0);
      const stats = dataOf(await postGraphQL(bank.agent.url, LAST_RECONCILED, { date: today }, admin()))._entities;
      assert.deepEqual(stats, [{ date: today, lastReconciledDate: runs[1].date }], 'the newest completed day');
      const investor = issueToken({ id: newId(), role: 'INVESTOR' }, signingKeyPem, 3600).token;
      assert.deepEqual(errorCodes(await postGraphQL(bank.agent.url, LAST_RECONCILED, { date: today }, investor)), [
        'FORBIDDEN',
      ]);
    });

    test('a business day ahead of the wall clock is reconciled once the business date has moved past it', async () => {
      const [tomorrow, ahead, next] = [dateAfter(startMs, 1), dateAfter(startMs, 40), dateAfter(startMs, 41)];
      await deliverBusinessDate(ahead);
      await deliverBusinessDate(next);
      assert.deepEqual(
        await reconcileBusinessDays(services),
        [tomorrow, ahead],
        'the business date is at the next day: both are over',
      );
      assert.equal((await run(next)).completedAt, null, 'the business date itself is not over');
      assert.notEqual((await run(ahead)).completedAt, null);
    });

    test("each kind of discrepancy the bank's file carries is found, and the rest of the day still matches", async () => {
      const borrowerId = newId();
      await bank.register(borrowerId);
      const agentClient = suite.agentClient;
      const projectNos = ['OMIT', 'AMOUNT', 'STATUS', 'SERVICE', 'CLEAN'].map(
        (kind) => `LN${kind}${randomBytes(6).toString('hex').toUpperCase()}`,
      );
      const requestNos: string[] = [];
      for (const projectNo of projectNos) {
        const requestNo = testRequestNo('PRJ');
        const answer = await agentClient.send('CREATE_PROJECT', {
          requestNo,
          projectNo,
          borrowerUserNo: bankUserNoFor(borrowerId),
          amountFen: '500000',
          name: 'Tea house',
        });
        assert.ok(answer.kind === 'ANSWERED' && answer.result.code === BANK_CODES.SUCCESS, JSON.stringify(answer));
        requestNos.push(requestNo);
      }
      const { businessDate } = await forkEntityManager(orm).findOneOrFail(DepositoryRequest, {
        requestNo: requestNos[0],
      });
      // The bank's operator makes its file wrong, one way per request, and lists a request nobody sent.
      const injectFault = async (body: Record<string, unknown>) => {
        const response = await fetch(`${bank.bank.url}/ops/reconciliation-faults`, {
          method: 'POST',
          body: JSON.stringify(body),
        });
        assert.equal(response.status, 200, await response.text());
      };
      for (const [index, fault] of ['OMIT', 'AMOUNT', 'STATUS', 'SERVICE'].entries())
        await injectFault({ requestNo: requestNos[index], fault });
      const phantom = testRequestNo('GHOST');
      await injectFault({
        date: businessDate,
        phantom: { requestNo: phantom, serviceName: 'RECHARGE', amountFen: '100' },
      });
      const refused = await fetch(`${bank.bank.url}/ops/reconciliation-faults`, {
        method: 'POST',
        body: JSON.stringify({ requestNo: requestNos[4], fault: 'ERASE' }),
      });
      assert.equal(refused.status, 400, 'an unknown fault is refused');

      const { lines } = await reconcileDay(services, businessDate);
      const resultOf = (requestNo: string) => lines.find((line) => line.requestNo === requestNo)?.result;
      assert.deepEqual([...requestNos, phantom].map(resultOf), [
        'MISSING_AT_BANK',
        'AMOUNT_MISMATCH',
        'STATUS_MISMATCH',
        'SERVICE_MISMATCH',
        'MATCHED',
        'MISSING_AT_PLATFORM',
      ]);
    });
  });
}
