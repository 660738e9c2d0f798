// The gateway's read cache, through the gateway as front ends use it, every service its own process on
// MariaDB and RabbitMQ. The marketplace page is served from the cache to distinct investors (its metric
// counts the hits), yet never stale: an investor who places a bid sees it on the next page, 1,000 times in a
// row, and so does another investor; a bid placed through a second gateway reaches the first one's page by
// the subgraph's cache.changed event; masked fields are never shared between viewers who see them differently
// (the borrower, an admin, an investor, anonymous), in either order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, parseMoney } from '@wanxin/platform';
import { dataOf, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { loansOfPage, MARKETPLACE_PAGE, type PageLoan } from './harness/marketplace-page';
import { startPlatform, type RunningPlatform } from './harness/platform';
import type { ServiceProcess } from './harness/processes';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

/** Bids placed one after another, each followed at once by two page reads. */
const BIDS_IN_A_ROW = Number(process.env.READ_CACHE_BIDS_IN_A_ROW ?? 1_000);
const BID_AMOUNT = '100.00';
/** A loan that takes half the bids of the run and stays FUNDRAISING. */
const BIG_LOAN = '60000.00';

/** Whole responses the gateway served from its read cache so far. */
async function responseHits(gateway: ServiceProcess): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith('wanxin_gateway_read_cache_lookups_total{') &&
        candidate.includes('level="response"') &&
        candidate.includes('outcome="hit"'),
    );
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the read cache through the gateway (MariaDB, RabbitMQ, every service its own process)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  let borrower: string;
  let investors: string[];
  let loanId: string;
  /** Two loans for the bids in a row, half each: a loan takes at most LOAN_BIDS_MAX bids, the last one its rest. */
  let rowLoanIds: string[];
  let borrowerMobile: string;

  const page = async (token?: string, gateway?: ServiceProcess): Promise<Map<string, PageLoan>> => {
    const url = (gateway ?? platform.gateway).url;
    return loansOfPage(dataOf(await new MarketplaceClient({ gateway: { url } }).gateway(MARKETPLACE_PAGE, {}, token)));
  };

  before(async () => {
    platform = await startPlatform('mysql', true);
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
    const borrowerIdentity = identityFor(0);
    borrowerMobile = borrowerIdentity.mobile;
    borrower = await client.member(borrowerIdentity.mobile, 'BORROWER', borrowerIdentity.idNumber);
    investors = await Promise.all(
      [1, 2, 3].map((index) => {
        const { mobile, idNumber } = identityFor(index);
        return client.member(mobile, 'INVESTOR', idNumber, '200000.00');
      }),
    );
    loanId = (await client.publishLoan(borrower, BIG_LOAN, 12)).id;
    assert.equal(await client.approveLoan(admin, loanId), 'FUNDRAISING');
    await client.frozenBid(loanId, BID_AMOUNT, investors[0]);
    rowLoanIds = [];
    for (let count = 0; count < 2; count += 1) {
      rowLoanIds.push((await client.publishLoan(borrower, BIG_LOAN, 12)).id);
      assert.equal(await client.approveLoan(admin, rowLoanIds[count]), 'FUNDRAISING');
    }
  });
  after(async () => platform?.stop());

  test('distinct investors read the page from the cache; each sees the same loans', async () => {
    // Events of the set-up may still be arriving: an answer read while one is stamped is not kept.
    const [first, second] = await eventually(async () => {
      const first = await page(investors[1]);
      const hitsBefore = await responseHits(platform.gateway);
      const second = await page(investors[2]);
      return (await responseHits(platform.gateway)) === hitsBefore + 1 ? [first, second] : undefined;
    });
    assert.deepEqual([...second.entries()], [...first.entries()]);
    assert.equal(second.get(loanId)!.funding.bidCount, 1);
  });

  test(`a bid is on the very next page, for the bidder and for another investor, ${BIDS_IN_A_ROW} times`, async () => {
    const raisedFen = [0n, 0n];
    let stale = 0;
    for (let index = 0; index < BIDS_IN_A_ROW; index += 1) {
      const half = index < BIDS_IN_A_ROW / 2 ? 0 : 1;
      const rowLoanId = rowLoanIds[half];
      const bidder = investors[index % 2];
      // A loan's first bid waits until bids has heard it opened; every other one is placed at once.
      const first = index === 0 || index === Math.ceil(BIDS_IN_A_ROW / 2);
      const placing = first
        ? client.firstBid(rowLoanId, BID_AMOUNT, bidder)
        : client.placeBid(rowLoanId, BID_AMOUNT, bidder);
      const placed = dataOf(await placing).placeBid;
      raisedFen[half] += parseMoney(BID_AMOUNT);
      const bidCount = half === 0 ? index + 1 : index + 1 - Math.ceil(BIDS_IN_A_ROW / 2);
      for (const reader of [bidder, investors[2]]) {
        const loan = (await page(reader)).get(rowLoanId)!;
        const fresh =
          loan.funding.raised === formatMoney(raisedFen[half]) &&
          loan.funding.bidCount === bidCount &&
          loan.bids.totalCount === bidCount &&
          loan.bids.edges[0].node.id === placed.id;
        if (!fresh) stale += 1;
      }
    }
    assert.equal(stale, 0, `pages that missed the bid just placed, of ${2 * BIDS_IN_A_ROW}`);
  });

  test('a bid through another gateway reaches this gateway by event, and is never lost afterwards', async () => {
    const other = await platform.startGateway();
    try {
      const before = (await page(investors[2])).get(loanId)!.funding.bidCount;
      dataOf(await new MarketplaceClient({ gateway: other }).placeBid(loanId, BID_AMOUNT, investors[1]));
      await eventually(async () =>
        (await page(investors[2])).get(loanId)!.funding.bidCount === before + 1 ? true : undefined,
      );
      for (let read = 0; read < 20; read += 1)
        assert.equal((await page(investors[2])).get(loanId)!.funding.bidCount, before + 1);
    } finally {
      await other.stop();
    }
  });

  test('masked fields are never shared: the borrower and an admin see the mobile, investors and visitors do not', async () => {
    const masked = `${borrowerMobile.slice(0, 3)}****${borrowerMobile.slice(-4)}`;
    const readers: [string, string | undefined, string][] = [
      ['an investor', investors[2], masked],
      ['the borrower', borrower, borrowerMobile],
      ['an admin', admin, borrowerMobile],
      ['a visitor', undefined, masked],
      ['another investor', investors[1], masked],
      ['the borrower again', borrower, borrowerMobile],
    ];
    for (const order of [readers, [...readers].reverse()]) {
      for (const [who, token, mobile] of order) {
        const loan = (await page(token)).get(loanId);
        assert.equal(loan?.borrower.mobile, mobile, `${who} reads the borrower's mobile as ${mobile}`);
      }
    }
  });
});
