// Proves the daily run runs itself (BUSINESS_CLOCK=auto) with every service its own process on MariaDB
// and RabbitMQ: a loan's first installment falls due while the business clock is behind the platform's
// calendar day; repayments, restarted with the automatic clock, starts the run by itself, is SIGKILLed in
// the middle of it (held by a row lock the test takes on the loan, at the due date it is collecting), and
// the restarted process resumes the run as soon as the dead run's lease lapses: the business date reaches
// the calendar day in Asia/Shanghai, the installment is collected once, to the fen, and the bank agrees.
// Shortcut, said plainly: the state "a loan paid out 40 days ago, the clock stopped since" is set up by
// moving the new loan's schedule and the never-run clock 40 days back in repayments' database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, parseMoney } from '@wanxin/platform';
import { dataOf, eventually, servicesUnderTest, waitFor } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';
import { lockRow, repaymentsDatabase } from './harness/repayments-db';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);
const DAYS_BACK = 40;

/** The calendar day in Shanghai from 01:00 there, the day before until then: what the clock must reach. */
function shanghaiBusinessDate(now: Date): string {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const date = local.toISOString().slice(0, 10);
  return local.getUTCHours() >= 1 ? date : addDays(date, -1);
}

describe(
  'the business clock runs itself (BUSINESS_CLOCK=auto; every service its own process, MariaDB, RabbitMQ)',
  {
    skip,
  },
  () => {
    let platform: RunningPlatform;
    let client: MarketplaceClient;

    before(async () => {
      platform = await startPlatform('mysql', true, {
        BID_SETTLE_INTERVAL_MS: '500',
        REPAYMENT_SETTLE_INTERVAL_MS: '300',
        REPAYMENT_RUN_LEASE_MS: '2000',
        DAILY_RUN_CHECK_INTERVAL_MS: '200',
      });
      client = new MarketplaceClient(platform);
    });
    after(async () => platform?.stop());

    test('a run started by the clock and SIGKILLed midway is resumed once its lease lapses: collected once', async () => {
      const admin = await client.adminToken();
      const borrower = await client.member(identityFor(700).mobile, 'BORROWER', identityFor(700).idNumber, '500.00');
      const investor = await client.member(identityFor(701).mobile, 'INVESTOR', identityFor(701).idNumber, '3000.00');
      const { loanId } = await client.repayingLoan(admin, borrower, '3000.00', 3, [[investor, '3000.00']]);

      const database = await repaymentsDatabase(platform);
      try {
        const [[clock]] = (await database.query(
          'select business_date as day, run_id as runId from business_clock',
        )) as [{ day: string; runId: string | null }[], unknown];
        assert.equal(clock.runId, null, 'no daily run has run yet');
        await database.query(
          "update installments set due_date = date_format(date_sub(due_date, interval ? day), '%Y-%m-%d') where loan_id = ?",
          [DAYS_BACK, loanId],
        );
        await database.query(
          "update repayment_loans set start_date = date_format(date_sub(start_date, interval ? day), '%Y-%m-%d') where id = ?",
          [DAYS_BACK, loanId],
        );
        await database.query('update business_clock set business_date = ?', [addDays(clock.day, -DAYS_BACK)]);
      } finally {
        await database.end();
      }
      const [first, second] = (await client.loanSchedule(loanId, borrower)).schedule;
      const target = shanghaiBusinessDate(new Date());
      assert.ok(first.dueDate < target && second.dueDate > target, 'the first installment falls due behind the clock');
      const before = parseMoney((await client.balances(borrower)).balance);

      const lock = await lockRow(platform, 'repayment_loans', loanId);
      await platform.restart('repayments', { env: { BUSINESS_CLOCK: 'auto' } });
      await waitFor(async () => (await lock.waitedFor()) && (await lock.runLeaseHeld()), {
        timeoutMs: 30_000,
        what: 'the clock started the run, held at the due date',
      });
      await platform.restart('repayments', { kill: true, whileDown: () => lock.release() });

      const businessDate = await eventually(async () => {
        const day: string = dataOf(await client.gateway('{ businessDate }')).businessDate;
        return day >= target ? day : undefined;
      }, 60_000);
      assert.equal(businessDate, target, "the clock reached the platform's calendar day, not beyond");
      const repaid = await eventually(async () => {
        const rows = (await client.loanSchedule(loanId, borrower)).schedule;
        return rows[0].status === 'REPAID' ? rows : undefined;
      });
      assert.equal(repaid[0].repaidAt?.slice(0, 10), first.dueDate, 'collected on its due date');
      assert.deepEqual(
        repaid.slice(1).map((row) => row.status),
        ['PENDING', 'PENDING'],
      );
      const ledger = async () =>
        (await (await fetch(`http://127.0.0.1:${platform.bank.port}/ledger/check`)).json()) as {
          problems: string[];
          openFreezeCount: number;
        };
      await eventually(async () => ((await ledger()).openFreezeCount === 0 ? true : undefined), 30_000);
      assert.deepEqual((await ledger()).problems, []);
      assert.equal(
        before - parseMoney((await client.balances(borrower)).balance),
        parseMoney(first.amount),
        'the installment was taken once, to the fen',
      );
    });
  },
);
