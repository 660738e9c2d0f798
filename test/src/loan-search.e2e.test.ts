// Proves loan search through the gateway, every service its own process on MariaDB and RabbitMQ: the
// `loans` list filtered by amount, rate, term, method and text (case-insensitive over title and loan
// number, `%` and `_` literal) and ordered by CREATED_AT, AMOUNT, RATE, TERM, PROGRESS either way. Paging
// through loans with many equal sort keys gives each loan exactly once and in order, under every order,
// while new loans are published between pages. Progress is what the bank froze for a loan's bids, carried
// to loans by bids.bid.placed. A cursor works only with the status, filter and order it came from. Every
// kind of bad input is BAD_USER_INPUT, as variables and as literals, at the gateway and at loans itself;
// the public list keeps hiding loans under review.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMoney, parseRate } from '@wanxin/platform';
import { dataOf, errorCodes, eventually, postGraphQL, servicesUnderTest } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

/** Every loan of this suite has it in its title: the searches below see no other loans. */
const MARK = 'Srch';
const NODE = 'id loanNo title amount annualRate termMonths repaymentMethod status createdAt';
const SEARCH = `query($s: LoanStatus, $f: LoanFilter, $o: LoanOrder, $n: Int, $a: String) {
  loans(status: $s, filter: $f, orderBy: $o, first: $n, after: $a) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${NODE} } } } }`;
const CREATE = 'mutation($i: CreateLoanInput!) { createLoan(input: $i) { id } }';

interface LoanRow {
  id: string;
  loanNo: string;
  title: string;
  amount: string;
  annualRate: string;
  termMonths: number;
  repaymentMethod: string;
  status: string;
  createdAt: string;
}
interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: LoanRow }[];
}

const ORDER_FIELDS = ['CREATED_AT', 'AMOUNT', 'RATE', 'TERM', 'PROGRESS'] as const;
type OrderField = (typeof ORDER_FIELDS)[number];

/** Few distinct values, so that many loans tie on every key: the tie-break by id is what keeps pages stable. */
const AMOUNTS = ['2000.00', '3000.00'];
const RATES = ['0.15', '0.18'];
const TERMS = [3, 6, 12];
const METHODS = ['EQUAL_INSTALLMENT', 'BULLET', 'DAILY'];
const INITIAL_LOANS = 14;

/** A loan's terms, the i-th of the suite: cycling through the values above at different strides. */
function loanInput(index: number, title = `${MARK} 装修 ${index}`) {
  return {
    title,
    amount: AMOUNTS[index % AMOUNTS.length],
    annualRate: RATES[Math.floor(index / 2) % RATES.length],
    termMonths: TERMS[index % TERMS.length],
    repaymentMethod: METHODS[Math.floor(index / 3) % METHODS.length],
  };
}

/** -1, 0 or 1: how `a` compares with `b` under `field`, ascending; progress by cross-multiplication, exactly. */
function compareKeys(field: OrderField, a: LoanRow, b: LoanRow, fundedFen: Map<string, bigint>): number {
  const sign = (value: number | bigint) => (value > 0 ? 1 : value < 0 ? -1 : 0);
  switch (field) {
    case 'CREATED_AT':
      return sign(Date.parse(a.createdAt) - Date.parse(b.createdAt));
    case 'AMOUNT':
      return sign(parseMoney(a.amount) - parseMoney(b.amount));
    case 'RATE':
      return sign(parseRate(a.annualRate) - parseRate(b.annualRate));
    case 'TERM':
      return sign(a.termMonths - b.termMonths);
    case 'PROGRESS':
      return sign(
        (fundedFen.get(a.id) ?? 0n) * parseMoney(b.amount) - (fundedFen.get(b.id) ?? 0n) * parseMoney(a.amount),
      );
  }
}

describe('loan search through the gateway (own processes, MariaDB, RabbitMQ)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  let borrower: string;
  /** What the bank froze for each loan's bids, as the suite placed them. */
  const fundedFen = new Map<string, bigint>();
  const initialIds: string[] = [];
  let published = 0;

  const search = async (variables: Record<string, unknown>, token = admin): Promise<Page> =>
    dataOf(await client.gateway(SEARCH, variables, token)).loans;
  const publish = async (title?: string) => {
    const input = loanInput(published, title);
    published += 1;
    return dataOf(await client.gateway(CREATE, { i: input }, borrower)).createLoan.id as string;
  };

  before(async () => {
    // Many loans under review at once, so that the suite publishes them quickly from one borrower.
    platform = await startPlatform('mysql', true, { LOAN_ONE_UNDER_REVIEW: '0', BID_SETTLE_INTERVAL_MS: '300' });
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
    const borrowerIdentity = identityFor(70);
    borrower = await client.member(borrowerIdentity.mobile, 'BORROWER', borrowerIdentity.idNumber);
    const investorIdentity = identityFor(71);
    const investor = await client.member(investorIdentity.mobile, 'INVESTOR', investorIdentity.idNumber, '10000.00');
    // The first loan waits until loans knows the borrower's account is open; the rest follow at once.
    await client.publishLoan(borrower, AMOUNTS[0]);
    for (let index = 0; index < INITIAL_LOANS; index += 1) initialIds.push(await publish());
    // Three loans open for bids: two funded one half (2000.00 and 3000.00: equal progress), one a third.
    const bids: [string, string][] = [
      [initialIds[0], '1000.00'],
      [initialIds[1], '1500.00'],
      [initialIds[3], '1000.00'],
    ];
    for (const [loanId, amount] of bids) {
      assert.equal(await client.approveLoan(admin, loanId), 'FUNDRAISING');
      assert.equal((await client.frozenBid(loanId, amount, investor)).status, 'FROZEN');
      fundedFen.set(loanId, parseMoney(amount));
    }
    // Loans learns of each freeze from bids.bid.placed: wait until the progress order shows all three.
    await eventually(async () => {
      const top = await search({ f: { text: MARK }, o: { field: 'PROGRESS', direction: 'DESC' }, n: 3 });
      const ids = top.edges.map((edge) => edge.node.id);
      return ids.includes(initialIds[0]) && ids.includes(initialIds[1]) && ids[2] === initialIds[3] ? true : undefined;
    });
  });
  after(async () => platform?.stop());

  /** Pages through the suite's loans `pageSize` at a time, publishing a loan between pages; every row seen. */
  const pageThrough = async (order: Record<string, string> | undefined, pageSize: number) => {
    const seen: LoanRow[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages += 1) {
      const page: Page = await search({ f: { text: MARK }, o: order, n: pageSize, a: after });
      assert.equal(page.pageInfo.hasPreviousPage, after !== null);
      seen.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) return seen;
      after = page.pageInfo.endCursor;
      await publish();
    }
    throw new Error('more than 50 pages');
  };

  const checkOnceInOrder = (seen: LoanRow[], field: OrderField | 'NEWEST', direction: 'ASC' | 'DESC') => {
    const ids = seen.map((row) => row.id);
    assert.equal(new Set(ids).size, ids.length, 'no loan twice');
    for (const id of initialIds) assert.ok(ids.includes(id), `loan ${id} listed`);
    for (const row of seen) assert.ok(row.title.includes(MARK));
    const sign = direction === 'ASC' ? 1 : -1;
    for (let index = 1; index < seen.length; index += 1) {
      const [previous, current] = [seen[index - 1], seen[index]];
      const byKey = field === 'NEWEST' ? 0 : compareKeys(field, previous, current, fundedFen);
      const byId = previous.id < current.id ? -1 : 1;
      assert.ok(
        byKey * sign < 0 || (byKey === 0 && byId * sign < 0),
        `${field} ${direction}: ${JSON.stringify(previous)} before ${JSON.stringify(current)}`,
      );
    }
  };

  for (const field of ORDER_FIELDS)
    for (const direction of ['ASC', 'DESC'] as const)
      test(`${field} ${direction}: each loan once, in order, while loans are published between pages`, async () => {
        checkOnceInOrder(await pageThrough({ field, direction }, 4), field, direction);
      });

  test('the default order is newest first, as before: by id, each loan once', async () => {
    checkOnceInOrder(await pageThrough(undefined, 5), 'NEWEST', 'DESC');
  });

  /** Every loan matching `filter`, newest first, page by page. */
  const everything = async (filter: Record<string, unknown>) => {
    const rows: LoanRow[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const page: Page = await search({ f: filter, n: 100, a: after });
      rows.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) return rows;
      after = page.pageInfo.endCursor;
    }
    throw new Error('more than 20 pages');
  };

  test('filters: amount, rate and term ranges (inclusive), methods, and their totalCount', async () => {
    const all = await everything({ text: MARK });
    const filter = { text: MARK, amountMin: '3000.00', rateMax: '0.15', termMin: 6, termMax: 12, methods: ['BULLET'] };
    const expected = all.filter(
      (row) =>
        row.amount === '3000.00' &&
        row.annualRate === '0.15' &&
        row.termMonths >= 6 &&
        row.repaymentMethod === 'BULLET',
    );
    assert.ok(expected.length > 0, 'the suite has loans that match');
    const page = await search({ f: filter, n: 100 });
    assert.deepEqual(
      page.edges.map((edge) => edge.node.id),
      expected.map((row) => row.id),
    );
    assert.equal(page.totalCount, expected.length);
    const twoMethods = await everything({ text: MARK, methods: ['DAILY', 'BULLET', 'DAILY'] });
    assert.deepEqual(
      twoMethods.map((row) => row.id),
      all.filter((row) => row.repaymentMethod !== 'EQUAL_INSTALLMENT').map((row) => row.id),
    );
  });

  test('text: case-insensitive over title and loan number; % and _ match only themselves', async () => {
    const percent = await publish(`${MARK} 100%_off`);
    await publish(`${MARK} 1000 off`);
    const ids = async (text: string) => (await search({ f: { text }, n: 100 })).edges.map((edge) => edge.node.id);
    assert.deepEqual(await ids('100%_'), [percent]);
    assert.deepEqual(await ids(`${MARK.toUpperCase()} 100%_OFF`), [percent]);
    const { loanNo } = (await search({ f: { text: MARK }, n: 1 })).edges[0].node;
    const byNumber = await search({ f: { text: loanNo.slice(2, 14).toLowerCase() }, n: 100 });
    assert.ok(byNumber.edges.some((edge) => edge.node.loanNo === loanNo));
    assert.deepEqual(await ids('   '), await ids(''), 'blank text is no filter');
  });

  test('the public list still shows only public loans, filtered alike', async () => {
    const anonymous: Page = dataOf(await client.gateway(SEARCH, { f: { text: MARK }, n: 100 })).loans;
    assert.deepEqual(anonymous.edges.map((edge) => edge.node.status).sort(), [
      'FUNDRAISING',
      'FUNDRAISING',
      'FUNDRAISING',
    ]);
    assert.equal(anonymous.totalCount, 3);
  });

  test('a cursor works only with the status, filter and order it was made for', async () => {
    const order = { field: 'RATE', direction: 'DESC' };
    const { endCursor } = (await search({ f: { text: MARK }, o: order, n: 2 })).pageInfo;
    const refused = async (variables: Record<string, unknown>) => {
      const response = await client.gateway(SEARCH, { n: 2, a: endCursor, ...variables }, admin);
      assert.deepEqual(errorCodes(response), ['BAD_USER_INPUT'], JSON.stringify(response));
      assert.match(response.errors![0].message, /another order or filter/);
    };
    await refused({ f: { text: MARK }, o: { field: 'RATE', direction: 'ASC' } });
    await refused({ f: { text: MARK }, o: { field: 'AMOUNT', direction: 'DESC' } });
    await refused({ f: { text: MARK }, o: undefined });
    await refused({ f: { text: `${MARK} `, termMax: 12 }, o: order });
    await refused({ s: 'FUNDRAISING', f: { text: MARK }, o: order });
    const same = await search({ f: { text: MARK }, o: order, n: 2, a: endCursor });
    assert.equal(same.pageInfo.hasPreviousPage, true);
  });

  /** One mistake, as a literal in the document and as variables: the arguments written out, and the values. */
  const BAD_INPUT: { name: string; literal: string; variables: Record<string, unknown> }[] = [
    {
      name: 'amountMin > amountMax',
      literal: 'filter: { amountMin: "3000.00", amountMax: "2000.00" }',
      variables: { f: { amountMin: '3000.00', amountMax: '2000.00' } },
    },
    {
      name: 'rateMin > rateMax',
      literal: 'filter: { rateMin: "0.20", rateMax: "0.10" }',
      variables: { f: { rateMin: '0.20', rateMax: '0.10' } },
    },
    {
      name: 'termMin > termMax',
      literal: 'filter: { termMin: 12, termMax: 6 }',
      variables: { f: { termMin: 12, termMax: 6 } },
    },
    { name: 'a negative amount', literal: 'filter: { amountMin: "-1.00" }', variables: { f: { amountMin: '-1.00' } } },
    {
      name: 'an amount with three decimals',
      literal: 'filter: { amountMax: "1.001" }',
      variables: { f: { amountMax: '1.001' } },
    },
    { name: 'an amount as a number', literal: 'filter: { amountMax: 1000 }', variables: { f: { amountMax: 1000 } } },
    {
      name: 'an amount that is no number',
      literal: 'filter: { amountMin: "lots" }',
      variables: { f: { amountMin: 'lots' } },
    },
    { name: 'a negative rate', literal: 'filter: { rateMin: "-0.05" }', variables: { f: { rateMin: '-0.05' } } },
    { name: 'a rate above 1', literal: 'filter: { rateMax: "1.5" }', variables: { f: { rateMax: '1.5' } } },
    { name: 'a rate that is no number', literal: 'filter: { rateMax: "high" }', variables: { f: { rateMax: 'high' } } },
    { name: 'a term of 0 months', literal: 'filter: { termMin: 0 }', variables: { f: { termMin: 0 } } },
    { name: 'a term of 37 months', literal: 'filter: { termMax: 37 }', variables: { f: { termMax: 37 } } },
    { name: 'no methods', literal: 'filter: { methods: [] }', variables: { f: { methods: [] } } },
    { name: 'an unknown method', literal: 'filter: { methods: [WEEKLY] }', variables: { f: { methods: ['WEEKLY'] } } },
    {
      name: 'an unknown order field',
      literal: 'orderBy: { field: TITLE, direction: ASC }',
      variables: { o: { field: 'TITLE', direction: 'ASC' } },
    },
    {
      name: 'an unknown direction',
      literal: 'orderBy: { field: RATE, direction: UP }',
      variables: { o: { field: 'RATE', direction: 'UP' } },
    },
    { name: 'an unknown status', literal: 'status: OPEN', variables: { s: 'OPEN' } },
    {
      name: 'text over 100 characters',
      literal: `filter: { text: "${'贷'.repeat(101)}" }`,
      variables: { f: { text: '贷'.repeat(101) } },
    },
    { name: 'first: 0', literal: 'first: 0', variables: { n: 0 } },
    { name: 'first: 101', literal: 'first: 101', variables: { n: 101 } },
    { name: 'a malformed cursor', literal: 'after: "not-a-cursor"', variables: { a: 'not-a-cursor' } },
    { name: 'a cursor of garbage base64', literal: 'after: "WzEsMl0"', variables: { a: 'WzEsMl0' } },
  ];

  for (const example of BAD_INPUT)
    test(`bad input, ${example.name}: BAD_USER_INPUT, literal and variables, gateway and loans`, async () => {
      const literal = `{ loans(${example.literal}) { totalCount edges { node { id } } } }`;
      for (const url of [platform.gateway.url, platform.subgraphs.loans.url]) {
        for (const response of [
          await postGraphQL(url, literal, {}, admin),
          await postGraphQL(url, SEARCH, example.variables, admin),
        ]) {
          assert.deepEqual(errorCodes(response), ['BAD_USER_INPUT'], `${url}: ${JSON.stringify(response)}`);
          assert.ok(!response.data?.loans, 'no page');
        }
      }
    });
});
