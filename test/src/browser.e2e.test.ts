// Proves the pages people use, in a real headless Chromium (Debian's, driven by playwright-core) against the
// whole platform as processes on MariaDB and RabbitMQ: an account is opened by typing a trade password into
// the bank's page (a password the bank refuses opens nothing); recharge and withdrawal are authorised on the
// bank's page (a wrong trade password moves nothing; a withdrawal beyond the balance never reaches the
// bank), every balance exact to the fen; the admin dashboard signs in through its form, and its funding bar
// and amountRaisedToday follow the bids a script places, up to 100%.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { dataOf, errorCodes, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import {
  authoriseAtBank,
  bankResult,
  chromiumInstalled,
  CHROMIUM_PATH,
  launchChromium,
  openBankPage,
  type BankRedirect,
} from './harness/browser';
import { identityFor, MarketplaceClient, TRADE_PASSWORD, type MemberRole } from './harness/marketplace';
import { startPlatform, TEST_ADMIN, type RunningPlatform } from './harness/platform';
import { subscribed } from './harness/subscription-client';

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
        startPlatform('mysql', true, { BID_SETTLE_INTERVAL_MS: '500' }),
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
      const member = (memberNumber: number, role: MemberRole, rechargeYuan?: string) =>
        client.member(identityFor(memberNumber).mobile, role, identityFor(memberNumber).idNumber, rechargeYuan);
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

      await page.goto(new URL('/dashboard', platform.gateway.url).href);
      await page.locator('#login-mobile').pressSequentially(TEST_ADMIN.mobile);
      await page.locator('#login-password').pressSequentially(TEST_ADMIN.password);
      await page.locator('#login-submit').click();
      await page.locator('#connection-status[data-state="open"]').waitFor();
      const progress = page.locator(`#loan-${loan.id}-progress`);
      const barFill = page.locator(`#loan-${loan.id}-bar-fill`);
      const raisedToday = page.locator('#stat-amountRaisedToday');
      const exactly = (text: string) => new RegExp(`^${text.replace('.', '\\.')}$`);
      const shows = async (percent: number, raisedYuan: string) => {
        // Attached, not visible: a bar filled to 0% has no width. The page sets the bar with the percentage.
        await progress.filter({ hasText: exactly(`${percent}%`) }).waitFor({ state: 'attached' });
        assert.equal(await barFill.getAttribute('style'), `width: ${percent}%;`);
        await raisedToday.filter({ hasText: exactly(raisedYuan) }).waitFor({ state: 'attached' });
      };
      await shows(0, '0.00');
      // The page's two subscriptions (platformStats, this loan's loanFunding) are registered: bids from now on reach it.
      await subscribed(platform.gateway.url, 2);
      assert.equal(await page.locator(`#loan-${loan.id}-raised`).textContent(), '0.00 / 2000.00');

      assert.equal((await client.frozenBid(loan.id, '500.00', alice)).status, 'FROZEN');
      await shows(25, '500.00');
      assert.equal(dataOf(await client.placeBid(loan.id, '500.00', bob)).placeBid.status, 'FROZEN');
      await shows(50, '1000.00');
      assert.equal(dataOf(await client.placeBid(loan.id, '1000.00', alice)).placeBid.status, 'FROZEN');
      await shows(100, '2000.00');
      assert.equal(await page.locator(`#loan-${loan.id}-raised`).textContent(), '2000.00 / 2000.00');
    });
  },
);
