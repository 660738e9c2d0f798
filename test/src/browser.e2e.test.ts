// Proves the pages people use, in a real headless Chromium (Debian's, driven by playwright-core) against the
// whole platform as processes on MariaDB and RabbitMQ: an account is opened by typing a trade password into
// the bank's page (a password the bank refuses opens nothing); recharge and withdrawal are authorised on the
// bank's page (a wrong trade password moves nothing; a withdrawal beyond the balance never reaches the
// bank), every balance exact to the fen; the admin dashboard signs in through its form, and its funding bar
// and amountRaisedToday follow the bids a script places, up to 100%. With a zh-CN browser every panel follows,
// live, the change that moves it (a credit application submitted, a loan paid out and its installment gone
// overdue, a business day reconciled), labelled in Chinese, money as ¥ with thousands separators; with en-US
// the labels are English; neither meets a CSP violation, and a full-page screenshot is saved and not blank.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { addDays, formatMoney, parseMoney } from '@wanxin/platform';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { dataOf, errorCodes, eventually, servicesUnderTest, TEST_ADMIN } from '@wanxin/platform/testing';
import {
  authoriseAtBank,
  bankResult,
  chromiumInstalled,
  CHROMIUM_PATH,
  inkFraction,
  launchChromium,
  openBankPage,
  recordingPage,
  type BankRedirect,
} from './harness/browser';
import { identityFor, MarketplaceClient, MEMBER_NAME, TRADE_PASSWORD, type MemberRole } from './harness/marketplace';
import { QUICK_REPAYMENT_JOBS, startPlatform, type RunningPlatform } from './harness/platform';
import { gatewayMetric, subscribed } from './harness/subscription-client';

const skip = servicesUnderTest(
  ['MariaDB', 'RabbitMQ'],
  [
    {
      missing: !chromiumInstalled(),
      reason: `${CHROMIUM_PATH} is missing (infra/services/debian/install.sh installs it)`,
    },
  ],
);

const REDIRECT = 'url method requestNo fields { name value }';
const OPEN_ACCOUNT = `mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { ${REDIRECT} } }`;
const RECHARGE = `mutation($a: Money!) { recharge(amount: $a) { ${REDIRECT} } }`;
const WITHDRAW = `mutation($a: Money!) { withdraw(amount: $a) { ${REDIRECT} } }`;
/** One character more than the bank accepts for a trade password; the page's own checks let it through. */
const TOO_LONG_TRADE_PASSWORD = 'x'.repeat(65);
const DONE = { code: BANK_CODES.SUCCESS, text: 'Done.' };
const RUN_DAILY_JOBS = 'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate } }';
/** How long a panel may take to follow a change (an event through RabbitMQ, a push, a read): a bound, not a timing. */
const FOLLOWS_WITHIN_MS = 30_000;
/** The dashboard's titles by locale: the panels, the chart, one stats box. */
const TITLES = {
  'zh-CN': {
    '#overdue-title': '逾期还款',
    '#reviews-title': '待审核的授信申请',
    '#reconciliation-title': '最近一次对账',
    '#chart-title': '近 30 个营业日',
    '#loans-title': '筹款中的借款',
  },
  'en-US': {
    '#overdue-title': 'Overdue installments',
    '#reviews-title': 'Credit applications waiting for review',
    '#reconciliation-title': 'Last reconciliation',
    '#chart-title': 'The last 30 business days',
    '#loans-title': 'Fundraising loans',
  },
};

/** A Money string as the dashboard shows it: ¥, thousands separated. */
function yuan(money: string): string {
  const [whole, cents] = money.split('.');
  return `¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** Signs the admin in on the dashboard and waits until its live connection is open. */
async function signInToDashboard(page: Page, gatewayUrl: string): Promise<void> {
  await page.goto(new URL('/dashboard', gatewayUrl).href);
  await page.locator('#login-mobile').pressSequentially(TEST_ADMIN.mobile);
  await page.locator('#login-password').pressSequentially(TEST_ADMIN.password);
  await page.locator('#login-submit').click();
  await page.locator('#connection-status[data-state="open"]').waitFor();
}

/** Matches exactly `text`. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Waits until `selector`'s text is exactly `text`. */
async function showsText(page: Page, selector: string, text: string): Promise<void> {
  await page
    .locator(selector)
    .filter({ hasText: exactly(text) })
    .waitFor({ state: 'attached', timeout: FOLLOWS_WITHIN_MS });
}

describe(
  'the bank pages and the dashboard in headless Chromium (every service its own process, MariaDB, RabbitMQ, bank)',
  { skip },
  () => {
    let platform: RunningPlatform;
    let client: MarketplaceClient;
    let browser: Browser;
    let page: Page;

    before(async () => {
      // Both kept even when the other fails to start, so after() stops whatever did (a live Chromium would keep the file from exiting).
      const [started, launched] = await Promise.allSettled([
        // Quick background passes: the depository reconciles a day that is over within half a second.
        startPlatform('mysql', true, { ...QUICK_REPAYMENT_JOBS, DEPOSITORY_SYNC_INTERVAL_MS: '500' }),
        launchChromium(),
      ]);
      if (launched.status === 'fulfilled') browser = launched.value;
      if (started.status === 'fulfilled') platform = started.value;
      for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
      client = new MarketplaceClient(platform);
    });
    after(async () => {
      await browser?.close();
      await platform?.stop();
    });
    beforeEach(async () => {
      page = await browser.newPage();
    });
    afterEach(async () => page?.close());

    /** The redirect one of the bank-page mutations answers. */
    async function bankRedirect(
      mutation: string,
      variables: Record<string, unknown>,
      token: string,
    ): Promise<BankRedirect> {
      return Object.values(dataOf(await client.gateway(mutation, variables, token)))[0] as BankRedirect;
    }

    /** A registered investor whose depository account is still to be opened, and the bank page that opens it. */
    async function investorAtOpening(memberNumber: number): Promise<{ token: string; opening: BankRedirect }> {
      const { mobile, idNumber } = identityFor(memberNumber);
      const token = await client.verifiedMember(mobile, 'INVESTOR', idNumber);
      // The holder is the verified identity: the ID number stated is that one, the name left out.
      const input = {
        idNumber,
        bankCode: 'ICBC',
        cardNumber: '6222020000007654321',
        cardMobile: mobile,
      };
      // The account row arrives by users.user.registered; opening waits for it.
      const opening = await eventually(() => bankRedirect(OPEN_ACCOUNT, { i: input }, token).catch(() => undefined));
      return { token, opening };
    }

    const member = (memberNumber: number, role: MemberRole, rechargeYuan?: string) =>
      client.member(identityFor(memberNumber).mobile, role, identityFor(memberNumber).idNumber, rechargeYuan);

    async function balanceBecomes(token: string, balance: string): Promise<void> {
      await eventually(async () => ((await client.balances(token)).balance === balance ? true : undefined));
      assert.deepEqual(await client.balances(token), { status: 'OPENED', balance, frozen: '0.00' });
    }

    test('open an account: the bank page asks to choose a trade password; one it refuses opens nothing, an acceptable one opens the account', async () => {
      const { token, opening } = await investorAtOpening(1);
      await openBankPage(page, opening);
      assert.match((await page.locator('label[for=password]').textContent()) ?? '', /Choose your trade password/);
      assert.match((await page.locator('dl').textContent()) ?? '', /张三/);

      await authoriseAtBank(page, TOO_LONG_TRADE_PASSWORD);
      assert.equal(
        await page.locator('#form-error').textContent(),
        'the trade password may have at most 64 characters',
      );
      assert.equal((await client.balances(token)).status, 'PENDING', 'the platform still waits for the bank');

      // The same request again on the form the bank showed: the refusal recorded nothing, so it runs now.
      await authoriseAtBank(page, TRADE_PASSWORD);
      assert.deepEqual(await bankResult(page), DONE);
      await eventually(async () => ((await client.balances(token)).status === 'OPENED' ? true : undefined));
      assert.deepEqual(await client.balances(token), { status: 'OPENED', balance: '0.00', frozen: '0.00' });
    });

    test('recharge and withdraw on the bank page: a wrong trade password moves nothing, one fen beyond the balance is refused; balances exact to the fen', async () => {
      const { token, opening } = await investorAtOpening(2);
      await openBankPage(page, opening);
      await authoriseAtBank(page, TRADE_PASSWORD);
      await eventually(async () => ((await client.balances(token)).status === 'OPENED' ? true : undefined));

      await openBankPage(page, await bankRedirect(RECHARGE, { a: '1000.00' }, token));
      assert.match((await page.locator('dl').textContent()) ?? '', /¥1000\.00/);
      await authoriseAtBank(page, 'not-the-trade-password');
      assert.equal(
        await page.locator('#form-error').textContent(),
        'Wrong trade password. Nothing was done. 2 tries left on this form.',
      );
      assert.deepEqual(await client.balances(token), { status: 'OPENED', balance: '0.00', frozen: '0.00' });
      await authoriseAtBank(page, TRADE_PASSWORD);
      assert.deepEqual(await bankResult(page), DONE);
      await balanceBecomes(token, '1000.00');

      await openBankPage(page, await bankRedirect(WITHDRAW, { a: '234.56' }, token));
      await authoriseAtBank(page, TRADE_PASSWORD);
      assert.deepEqual(await bankResult(page), DONE);
      await balanceBecomes(token, '765.44');

      // One fen more than the balance: the platform refuses before sending the user to the bank.
      assert.deepEqual(errorCodes(await client.gateway(WITHDRAW, { a: '765.45' }, token)), ['INSUFFICIENT_FUNDS']);
      assert.deepEqual(await client.balances(token), { status: 'OPENED', balance: '765.44', frozen: '0.00' });
    });

    test('dashboard: the admin signs in; the funding bar and amountRaisedToday follow bids placed from a script up to 100%', async () => {
      const borrower = await member(11, 'BORROWER');
      const alice = await member(12, 'INVESTOR', '1500.00');
      const bob = await member(13, 'INVESTOR', '1500.00');
      const admin = await client.adminToken();
      const loan = await client.publishLoan(borrower, '2000.00');
      assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
      // The dashboard lists loans with their funding, which bids has once loans.loan.opened arrives.
      await eventually(async () =>
        (await client.gateway(`{ loan(id: "${loan.id}") { funding { raised } } }`, {}, admin)).errors
          ? undefined
          : true,
      );

      await signInToDashboard(page, platform.gateway.url);
      const progress = page.locator(`#loan-${loan.id}-progress`);
      const barFill = page.locator(`#loan-${loan.id}-bar-fill`);
      const raisedToday = page.locator('#stat-amountRaisedToday');
      const shows = async (percent: number, raisedYuan: string) => {
        // Attached, not visible: a bar filled to 0% has no width. The page sets the bar with the percentage.
        await progress.filter({ hasText: exactly(`${percent}%`) }).waitFor({ state: 'attached' });
        assert.equal(await barFill.getAttribute('style'), `width: ${percent}%;`);
        await raisedToday.filter({ hasText: exactly(raisedYuan) }).waitFor({ state: 'attached' });
      };
      await shows(0, '¥0.00');
      // The page's two subscriptions (platformStats, this loan's loanFunding) are registered: bids from now on reach it.
      await subscribed(platform.gateway.url, 2);
      assert.equal(await page.locator(`#loan-${loan.id}-raised`).textContent(), '¥0.00 / ¥2,000.00');

      assert.equal((await client.frozenBid(loan.id, '500.00', alice)).status, 'FROZEN');
      await shows(25, '¥500.00');
      assert.equal(dataOf(await client.placeBid(loan.id, '500.00', bob)).placeBid.status, 'FROZEN');
      await shows(50, '¥1,000.00');
      assert.equal(dataOf(await client.placeBid(loan.id, '1000.00', alice)).placeBid.status, 'FROZEN');
      await shows(100, '¥2,000.00');
      assert.equal(await page.locator(`#loan-${loan.id}-raised`).textContent(), '¥2,000.00 / ¥2,000.00');
    });

    /** The titles in `locale`, no CSP violation, and a full-page screenshot saved under `directory` that is not blank. */
    async function checkPage(
      recording: Awaited<ReturnType<typeof recordingPage>>,
      locale: keyof typeof TITLES,
      directory: string,
    ): Promise<string> {
      const { page } = recording;
      assert.equal(await page.locator('html').getAttribute('lang'), locale === 'zh-CN' ? 'zh-CN' : 'en');
      for (const [selector, title] of Object.entries(TITLES[locale]))
        assert.equal(await page.locator(selector).textContent(), title, selector);
      await page.locator('#chart canvas').waitFor({ state: 'attached', timeout: FOLLOWS_WITHIN_MS });
      const screenshot = path.join(directory, `dashboard-${locale}.png`);
      const png = await page.screenshot({ path: screenshot, fullPage: true });
      assert.ok((await inkFraction(browser, png)) > 0.01, `${screenshot} is not blank`);
      assert.deepEqual(await recording.cspViolations(), [], 'no CSP violation');
      return screenshot;
    }

    test('dashboard in a zh-CN browser: each panel follows, live, the change that moves it; Chinese labels, ¥ amounts, no CSP violation, a screenshot', async (t) => {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-dashboard-'));
      const admin = await client.adminToken();
      const borrower = await member(21, 'BORROWER');
      const investor = await member(22, 'INVESTOR', '3000.00');
      const applicant = await client.verifiedMember(identityFor(23).mobile, 'BORROWER', identityFor(23).idNumber);
      const businessDate = async () => dataOf(await client.gateway('{ businessDate }', {}, admin)).businessDate;

      const recording = await recordingPage(browser, 'zh-CN');
      t.after(() => recording.close());
      const { page } = recording;
      const subscribers = await gatewayMetric(platform.gateway.url, 'wanxin_subscription_subscribers');
      await signInToDashboard(page, platform.gateway.url);
      // The page's platformStats subscription is registered: the changes from now on reach it.
      await subscribed(platform.gateway.url, subscribers + 1);
      await page.locator('#reviews-total').filter({ hasText: /^\d+$/ }).waitFor();
      const reviewsBefore = Number(await page.locator('#reviews-total').textContent());
      assert.equal(await page.locator('#stat-loansFundraising-label').textContent(), '筹款中的借款');

      // A loan paid out. The chart's read model (statistics) counts it from the payout's event, as the gateway
      // pushes from the same event: the page reads the chart at every push, so it shows it at the next one.
      const paidOutOn = await businessDate();
      const { loanId, schedule } = await client.repayingLoan(admin, borrower, '2000.00', 3, [[investor, '2000.00']]);
      const funded = `query($d: Date!) { statistics(from: $d, to: $d, granularity: DAY) { amountFunded } }`;
      await eventually(async () => {
        const [day] = dataOf(await client.gateway(funded, { d: paidOutOn }, admin)).statistics;
        return day.amountFunded === '2000.00' ? true : undefined;
      });

      // A credit application submitted: the pending reviews list grows, and that push brings the chart up to date.
      const application = dataOf(
        await client.gateway('mutation { applyForCredit { id } }', {}, applicant),
      ).applyForCredit;
      await page.locator(`#review-${application.id}`).waitFor({ state: 'attached', timeout: FOLLOWS_WITHIN_MS });
      await showsText(page, '#reviews-total', String(reviewsBefore + 1));
      assert.equal(await page.locator(`#review-${application.id} td`).first().textContent(), MEMBER_NAME);
      await showsText(page, `#statistics-${paidOutOn} td:nth-child(3)`, '¥2,000.00');

      // Its first installment unpaid three days past its due date: the overdue list grows.
      await client.moveMoney(borrower, 'withdraw', (await client.balances(borrower)).balance);
      const overdueOn = addDays(schedule[0].dueDate, 3);
      dataOf(await client.gateway(RUN_DAILY_JOBS, { d: overdueOn }, admin));
      const installment = (await client.loanSchedule(loanId, admin)).schedule[0];
      assert.equal(installment.status, 'OVERDUE');
      const row = page.locator(`#overdue-${installment.id}`);
      await row.waitFor({ state: 'attached', timeout: FOLLOWS_WITHIN_MS });
      const loanNo = dataOf(await client.gateway(`{ loan(id: "${loanId}") { loanNo } }`, {}, admin)).loan.loanNo;
      const owed = yuan(formatMoney(parseMoney(installment.amount) + parseMoney(installment.penalty)));
      await showsText(page, `#overdue-${installment.id} td:nth-child(5)`, owed);
      assert.deepEqual(await row.locator('td').allTextContents(), [loanNo, '1', MEMBER_NAME, '3', owed]);
      await showsText(page, '#stat-installmentsOverdue', '1');

      // The days the business date passed are reconciled: the last reconciliation is the day before it.
      const reconciledDay = addDays(overdueOn, -1);
      await showsText(page, '#reconciliation-date', reconciledDay);
      await showsText(page, '#stat-lastReconciledDate', reconciledDay);
      const runs = `query($n: Int) { reconciliationRuns(first: $n) {
        date matched missingAtBank missingAtPlatform mismatched platformAmount bankAmount completedAt } }`;
      const run = dataOf(await client.gateway(runs, { n: 2 }, admin)).reconciliationRuns.find(
        (candidate: { date: string }) => candidate.date === reconciledDay,
      );
      assert.ok(run.completedAt !== null);
      assert.equal(await page.locator('#reconciliation-matched').textContent(), String(run.matched));
      assert.equal(await page.locator('#reconciliation-platform-amount').textContent(), yuan(run.platformAmount));
      const discrepancies = run.missingAtBank + run.missingAtPlatform + run.mismatched;
      assert.equal(await page.locator('#reconciliation-discrepancies').textContent(), String(discrepancies));
      const balanced = discrepancies === 0 && run.platformAmount === run.bankAmount;
      assert.equal(await page.locator('#reconciliation-status').textContent(), balanced ? '平账' : '有差异');

      t.diagnostic(`screenshot: ${await checkPage(recording, 'zh-CN', directory)}`);
    });

    test('dashboard in an en-US browser: English labels, no CSP violation, a screenshot', async (t) => {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-dashboard-'));
      const recording = await recordingPage(browser, 'en-US');
      t.after(() => recording.close());
      await signInToDashboard(recording.page, platform.gateway.url);
      // The panels have read their lists (the earlier test reconciled a day and made an installment overdue).
      await recording.page
        .locator('#reconciliation-date')
        .filter({ hasText: /^\d{4}-\d{2}-\d{2}$/ })
        .waitFor({ state: 'attached' });
      await recording.page.locator('#overdue-rows tr').first().waitFor({ state: 'attached' });
      t.diagnostic(`screenshot: ${await checkPage(recording, 'en-US', directory)}`);
    });
  },
);
