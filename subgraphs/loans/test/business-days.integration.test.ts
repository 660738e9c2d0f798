// Proves loans' daily job as the business clock drives it, against the real bank simulator and the real
// depository agent, on libsql and MariaDB: `repayments.business-date.advanced` records its day once
// however often it is delivered; the job runs recorded days oldest first, a skipped day included, each
// with the funding-window expiry as of the day's close (opened 16 or 15 days before D: FAILED at D's
// close; 14 days: still FUNDRAISING); a day whose bank close got no answer is not completed and holds
// the later days until the bank answers; a business date far ahead of the wall clock expires a loan
// opened today, and its loans.loan.failed is dated now, so the relay sends it now; a subgraph that
// starts with a backlog of 40 days runs them all by itself.
// Shortcuts, said plainly: the event is handed to the subgraph through this process's in-process
// transport (depository/test/business-date.ts), not RabbitMQ; loans opened days ago are real loans
// (created, reviewed, registered at the bank) whose openedAt is then moved back; except in the last
// test, the job's pass is called directly (the subgraph's own job polls hourly), so two days can be
// recorded before a pass sees either. The borrower's credit line comes as users grants it (test/loans-with-bank.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  forkEntityManager,
  InternalBankClient,
  issueToken,
  newId,
  OutboxMessage,
  resolveServiceSecret,
  type Database,
  type HttpService,
  type SubgraphConfig,
} from '@wanxin/platform';
import {
  databaseKindsUnderTest,
  dataOf,
  eventually,
  postGraphQL,
  startSubgraphOnFreePort,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import {
  dateAfter,
  deliverBusinessDate,
  deliverBusinessDateAgain,
  type BankAndAgent,
} from '@wanxin/depository/testing';
import { createSubgraph } from '../src';
import { BusinessDay } from '../src/entities/business-day.entity';
import { Loan } from '../src/entities/loan.entity';
import { businessDayOnDateAdvanced } from '../src/events/business-date-advanced.subscription';
import { runBusinessDays } from '../src/jobs/run-business-days';
import type { LoansServices, LoansSettings } from '../src/services';
import { openBorrower, startLoansWithBank, stopLoansWithBank, type LoansWithBank } from './loans-with-bank';

const DAY_MS = 86_400_000;
const CREATE = 'mutation($input: CreateLoanInput!) { createLoan(input: $input) { id } }';
const APPROVE = 'mutation($id: ID!) { reviewLoan(id: $id, approve: true) { id status openedAt } }';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`loans' daily job on business days, with the bank, on ${kind}`, { skip }, () => {
    let started: LoansWithBank | undefined;
    let environment: TestEnvironment;
    let bank: BankAndAgent;
    let loans: HttpService;
    let orm: Database;
    let services: LoansServices;
    let signingKeyPem: string;
    /** Today (UTC) when the suite started; every business day below is counted from it. */
    const startMs = Date.now();
    const borrowerId = newId();
    const day = (date: string) => forkEntityManager(orm).findOneOrFail(BusinessDay, { date });
    const loan = (id: string) => forkEntityManager(orm).findOneOrFail(Loan, { id });

    /** A real FUNDRAISING loan (its project registered at the bank), opened `daysAgo` days before now. */
    const openLoan = async (daysAgo: number) => {
      const borrower = issueToken({ id: borrowerId, role: 'BORROWER' }, signingKeyPem, 3600).token;
      const admin = issueToken({ id: newId(), role: 'ADMIN' }, signingKeyPem, 3600).token;
      const input = { title: 'Shop fit-out', amount: '3000.00', termMonths: 12, repaymentMethod: 'EQUAL_INSTALLMENT' };
      const { id } = dataOf(await postGraphQL(loans.url, CREATE, { input }, borrower)).createLoan;
      const opened = dataOf(await postGraphQL(loans.url, APPROVE, { id }, admin)).reviewLoan;
      assert.equal(opened.status, 'FUNDRAISING');
      const openedAt = new Date(Date.parse(opened.openedAt) - daysAgo * DAY_MS);
      await forkEntityManager(orm).nativeUpdate(Loan, { id }, { openedAt, openedBusinessAt: openedAt });
      return { id, openedMs: openedAt.getTime() };
    };

    before(async () => {
      let config: SubgraphConfig<LoansSettings>;
      ({ environment, bank, loans, orm, signingKeyPem, config } = started = await startLoansWithBank(kind, {
        LOAN_DAILY_JOB_INTERVAL_MS: '3600000',
      }));
      services = {
        settings: config.settings,
        bank: new InternalBankClient(
          bank.agentBaseUrl,
          resolveServiceSecret(environment.config.dataDir, undefined),
          10_000,
        ),
      };
      await bank.register(borrowerId);
      // What depository.account.opened would have recorded: the bank page was posted directly.
      await openBorrower(orm, borrowerId, { limitFen: 50_000_000n });
    });
    after(() => stopLoansWithBank(started ?? {}));

    test('a day delivered twice, and announced again in another message, is recorded and run once', async () => {
      const date = dateAfter(startMs, -90);
      await deliverBusinessDateAgain(orm, `loans.${businessDayOnDateAdvanced.name}`, date);
      assert.equal(await forkEntityManager(orm).count(BusinessDay, { date }), 1);
      assert.deepEqual(await runBusinessDays(services, forkEntityManager(orm)), { completed: [date], waiting: null });
      assert.deepEqual(
        await runBusinessDays(services, forkEntityManager(orm)),
        { completed: [], waiting: null },
        'a completed day does not run again',
      );
      assert.equal((await day(date)).loansExpired, 0);
    });

    test('a skipped day is caught up: D and D+2 both run, D first, each as of its own close', async () => {
      const dueAtD = await openLoan(40);
      const dueAtDPlus2 = await openLoan(38);
      const d = dateAfter(dueAtD.openedMs, 15);
      const dPlus2 = dateAfter(dueAtD.openedMs, 17);
      await deliverBusinessDate(d);
      await deliverBusinessDate(dPlus2);
      assert.deepEqual(await runBusinessDays(services, forkEntityManager(orm)), {
        completed: [d, dPlus2],
        waiting: null,
      });
      // Had D+2 run first it would have expired both loans, and D none.
      assert.deepEqual([(await day(d)).loansExpired, (await day(dPlus2)).loansExpired], [1, 1]);
      for (const { id } of [dueAtD, dueAtDPlus2]) {
        const failed = await loan(id);
        assert.deepEqual([failed.status, failed.failReason], ['FAILED', 'FUNDING_WINDOW_EXPIRED']);
        assert.ok(failed.bankProjectClosedAt !== null, 'MODIFY_PROJECT FAILED confirmed by the bank');
      }
    });

    test('at the close of D, loans opened 16 and 15 days before D FAIL; one opened 14 days before stays FUNDRAISING', async () => {
      const sixteen = await openLoan(20);
      const fifteen = await openLoan(19);
      const fourteen = await openLoan(18);
      const d = dateAfter(sixteen.openedMs, 16);
      assert.deepEqual(
        [dateAfter(fifteen.openedMs, 15), dateAfter(fourteen.openedMs, 14)],
        [d, d],
        'the three loans are 16, 15 and 14 days old on D',
      );
      await deliverBusinessDate(d);
      assert.deepEqual(await runBusinessDays(services, forkEntityManager(orm)), { completed: [d], waiting: null });
      assert.deepEqual(
        [(await loan(sixteen.id)).status, (await loan(fifteen.id)).status, (await loan(fourteen.id)).status],
        ['FAILED', 'FAILED', 'FUNDRAISING'],
      );
      assert.equal((await day(d)).loansExpired, 2);
    });

    test('a day whose bank close got no answer is not completed and holds the next day until the bank answers', async () => {
      const fundraising = await forkEntityManager(orm).find(Loan, { status: 'FUNDRAISING' });
      assert.equal(fundraising.length, 1, 'the 14-day loan of the previous test');
      const d = dateAfter(fundraising[0].openedAt!.getTime(), 15);
      const next = dateAfter(startMs, -1);
      await deliverBusinessDate(d);
      await deliverBusinessDate(next);
      const silentBank = new InternalBankClient(
        'http://127.0.0.1:9',
        resolveServiceSecret(environment.config.dataDir, undefined),
        1000,
      );
      assert.deepEqual(await runBusinessDays({ ...services, bank: silentBank }, forkEntityManager(orm)), {
        completed: [],
        waiting: { date: d, loansLeft: 1 },
      });
      const unclosed = await loan(fundraising[0].id);
      assert.deepEqual(
        [unclosed.status, unclosed.bankProjectClosedAt],
        ['FAILED', null],
        'expired, its bank project not yet closed',
      );
      assert.equal((await day(next)).completedAt, null, 'the next day waits');
      assert.deepEqual(await runBusinessDays(services, forkEntityManager(orm)), {
        completed: [d, next],
        waiting: null,
      });
      assert.ok((await loan(fundraising[0].id)).bankProjectClosedAt !== null);
      assert.deepEqual(
        [(await day(d)).loansExpired, (await day(next)).loansExpired],
        [1, 0],
        'the expiry counted once, on its day',
      );
    });

    test('a subgraph starting with a backlog of 40 days far ahead of the clock runs them all by itself: a loan opened today FAILS, its event dated now', async () => {
      const today = await openLoan(0);
      const backlog = Array.from({ length: 40 }, (_, index) => dateAfter(startMs, 326 + index));
      for (const date of backlog) await deliverBusinessDate(date);
      const definition = createSubgraph();
      // A second replica, started after the days were recorded: its first pass and the ones it asks for
      // right after (a pass takes at most BUSINESS_DAYS_PER_PASS_MAX days) run them, no poll needed.
      const replica = await startSubgraphOnFreePort(definition, environment.env, {
        DEPOSITORY_INTERNAL_URL: bank.agentBaseUrl,
        LOAN_DAILY_JOB_INTERVAL_MS: '3600000',
      });
      try {
        const last = backlog[backlog.length - 1];
        await eventually(async () => ((await day(last)).completedAt !== null ? true : undefined));
        const days = await forkEntityManager(orm).find(
          BusinessDay,
          { date: { $in: backlog } },
          { orderBy: { date: 'asc' } },
        );
        assert.ok(days.every((row) => row.completedAt !== null));
        assert.deepEqual(
          days.map((row) => row.loansExpired),
          [1, ...Array(39).fill(0)],
          'expired on the first day, once',
        );
        const failed = await loan(today.id);
        assert.deepEqual([failed.status, failed.failReason], ['FAILED', 'FUNDING_WINDOW_EXPIRED']);
        assert.ok(
          failed.bankProjectClosedAt !== null && failed.bankProjectClosedAt.getTime() <= Date.now(),
          'stamped with the wall clock',
        );
        const [event] = await forkEntityManager(orm).find(OutboxMessage, {
          type: 'loans.loan.failed',
          aggregateId: today.id,
        });
        assert.ok(
          event.occurredAt.getTime() <= Date.now(),
          `loans.loan.failed is dated ${event.occurredAt.toISOString()}, not in business time`,
        );
      } finally {
        await replica.stop();
      }
    });
  });
}
