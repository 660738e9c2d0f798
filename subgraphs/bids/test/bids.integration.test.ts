// Proves bidding end to end over HTTP against the real bank simulator and the real depository agent (in
// this process, one test environment, so keys and the service secret are shared), on libsql and MariaDB:
// placeBid refuses in domain.md's check order and changes nothing; 40 concurrent bids on a 2,000.00 loan
// freeze exactly 20 (the bank's frozen totals equal the FROZEN bids, one bids.loan.fully-funded whose
// bids add up to the amount, one bids.bid.placed per bid); an investor without funds gets
// INSUFFICIENT_FUNDS with the reservation given back; loans.loan.failed releases every freeze at the bank
// (REFUNDED); loans.loan.disbursed makes bids LOANED; Loan.funding, Loan.bids and User.bids through
// `_entities`; bidPreview's figures (expected interest from the business date); amountRaisedToday counts the bids of a
// business day ahead of the wall clock (from its announcement to the next day's); a freeze without an answer stays
// PENDING until the settle pass;
// with BID_PER_LOAN_MAX=3 (a second instance of the subgraph on the same database) the third bid must
// take the whole remainder, concurrent waves never pass 3 bids, and a cap lowered under a loan's bids
// refuses further bids with CONFLICT; BID_PER_LOAN_MAX above the platform's LOAN_BIDS_MAX is refused; past
// BIDS_WAITING_MAX bids waiting for a round a call is told RATE_LIMITED and nothing is taken.
// The fully-funded payload is checked with loans' own decoder (@wanxin/loans, a devDependency).
// Shortcuts, said plainly: loans' events are crafted by the test (the loans subgraph is not started) and
// delivered through the in-process transport to the running subgraph's inbox; the bank project is created with the agent's internal CREATE_PROJECT;
// the settle job's pass is called directly; a bank that does not answer is an agent URL nobody listens on;
// the one-query-per-_entities batching of Loan.funding is counted on the test's own ORM connection (knex
// 'query' events) with the resolver called directly, not inside the running subgraph.
import { after, before, describe, test } from 'node:test';
import type { GraphQLError } from 'graphql';
import assert from 'node:assert/strict';
import {
  addDays,
  bankUserNoFor,
  ConfigError,
  expectedInterestFen,
  forkEntityManager,
  formatMoney,
  InternalBankClient,
  LOAN_BIDS_MAX,
  RequestLoaders,
  newId,
  OutboxMessage,
  readSubgraphConfig,
  startSubgraph,
  utcDateOf,
  type Database,
  type EventSubscription,
  type HttpService,
  type JsonObject,
  type Role,
} from '@wanxin/platform';
import { BUSINESS_DATE_AGGREGATE, decodePayload, LoanFailed, LoanFullyFunded } from '@wanxin/platform/contracts';
import {
  databaseKindsUnderTest,
  dataOf,
  deliverEvent,
  errorCodes,
  eventually,
  postGraphQL,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import type { BankAndAgent } from '@wanxin/depository/testing';
import { createSubgraph } from '../src';
import { startBidsWithBank, type BidsWithBank } from './bank-fixture';
import { Bid } from '../src/entities/bid.entity';
import { Funding } from '../src/entities/funding.entity';
import { businessDayOnDateAdvanced } from '../src/events/business-date-advanced.subscription';
import { bidsOnLoanDisbursed } from '../src/events/loan-disbursed.subscription';
import { settleBids } from '../src/jobs/settle-bids';
import { LoanBidsResolver } from '../src/graphql/loan.resolver';
import { BIDS_WAITING_MAX, BidDesk } from '../src/operations/place-bid';
import { freezeBids } from '../src/operations/settle-bid';
import { currentBusinessDate } from '../src/operations/business-date';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';

const PLACE =
  'mutation($loanId: ID!, $amount: Money!) { placeBid(loanId: $loanId, amount: $amount) { id amount status createdAt loan { id } investor { id } } }';
const PREVIEW =
  'query($loanId: ID!, $amount: Money) { bidPreview(loanId: $loanId, amount: $amount) { id loan { id } remaining minBid bidsLeft expectedInterest } }';
/** BID_PER_LOAN_MAX of the capped instance: small enough to reach in a test. */
const CAP = 3;
const LOAN_ENTITIES =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on Loan { id funding { raised remaining bidCount progress } bids(first: 100) { totalCount edges { node { id amount status } } } } } }';
const USER_ENTITIES =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id bids(first: 100) { totalCount edges { node { id loan { id } } } } } } }';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bids subgraph with the bank on ${kind}`, { skip }, () => {
    let fixture: BidsWithBank;
    let environment: TestEnvironment;
    let bank: BankAndAgent;
    let bids: HttpService;
    let orm: Database;
    let bankClient: InternalBankClient;
    const borrowerId = newId();
    const token = (id: string, role: Role) => fixture.token(id, role);
    const call = (query: string, variables: Record<string, unknown> = {}, bearer?: string) =>
      postGraphQL(bids.url, query, variables, bearer);
    const place = (investorId: string, loanId: string, amount: string) =>
      call(PLACE, { loanId, amount }, token(investorId, 'INVESTOR'));
    const outbox = async (type: string, loanId: string) =>
      forkEntityManager(orm).find(OutboxMessage, { type, aggregateId: loanId });
    const funding = async (loanId: string) => forkEntityManager(orm).findOneOrFail(Funding, { loanId });

    const newInvestor = (rechargeFen: bigint) => fixture.newInvestor(rechargeFen);
    /** Delivers `payload` through the inbox to `subscription`, about the loan it names (or `aggregateId`). */
    const deliver = (
      subscription: Pick<EventSubscription<unknown>, 'type' | 'version'>,
      payload: JsonObject,
      aggregateId = String(payload.loanId),
    ) => deliverEvent({ type: subscription.type, version: subscription.version, aggregateId, payload });
    /** A loan registered at the bank (CREATE_PROJECT through the agent) and opened to bids (loans.loan.opened). */
    const openLoan = async (amountFen: bigint, repaymentMethod?: string) =>
      (await fixture.openLoan(amountFen, repaymentMethod)).loanId;

    before(async () => {
      fixture = await startBidsWithBank(kind, borrowerId, { BID_SETTLE_INTERVAL_MS: '3600000' });
      ({ environment, bank, bids, orm, bankClient } = fixture);
    });
    after(() => fixture?.stop());

    test('placeBid refuses in the order of domain.md step 6 and changes nothing', async () => {
      const loanId = await openLoan(300_000n);
      const investorId = await newInvestor(1_000_000n);
      const codes = async (userId: string, id: string, amount: string, role: Role = 'INVESTOR') =>
        errorCodes(await call(PLACE, { loanId: id, amount }, token(userId, role)));
      assert.deepEqual(await codes(borrowerId, newId(), '99.99'), ['BAD_USER_INPUT'], 'the minimum before the loan');
      assert.deepEqual(await codes(investorId, newId(), '100.00'), ['NOT_FOUND']);
      assert.deepEqual(await codes(borrowerId, loanId, '100.00'), ['FORBIDDEN'], 'the borrower on their own loan');
      assert.deepEqual(await codes(investorId, loanId, '3000.01'), ['BAD_USER_INPUT'], 'above remaining');
      assert.deepEqual(await codes(investorId, loanId, '2950.00'), ['BAD_USER_INPUT'], 'a remainder of 50.00');
      assert.deepEqual(await codes(investorId, loanId, '100.00', 'BORROWER'), ['FORBIDDEN'], 'INVESTOR only');
      assert.deepEqual(errorCodes(await call(PLACE, { loanId, amount: '100.00' })), ['UNAUTHENTICATED']);
      const row = await funding(loanId);
      assert.deepEqual([row.raisedFen, row.bidCount, row.status], [0n, 0, 'FUNDRAISING']);
      assert.equal(await forkEntityManager(orm).count(Bid, { loanId }), 0);
      assert.deepEqual(await bank.balance(investorId), { availableFen: 1_000_000n, frozenFen: 0n });
      const closedLoanId = await openLoan(300_000n);
      await deliver(LoanFailed, { loanId: closedLoanId, reason: 'FUNDING_WINDOW_EXPIRED' });
      assert.deepEqual(
        await codes(borrowerId, closedLoanId, '100.00'),
        ['CONFLICT'],
        'a closed loan before the borrower rule',
      );
    });

    test('40 concurrent bids on a 2,000.00 loan freeze exactly 20 and publish one fully-funded event', async () => {
      const loanId = await openLoan(200_000n);
      const investorIds = await Promise.all([0, 1, 2, 3].map(() => newInvestor(1_000_000n)));
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, index) => place(investorIds[index % 4], loanId, '100.00')),
      );
      const accepted = responses
        .filter((response) => response.errors === undefined)
        .map((response) => dataOf(response).placeBid);
      assert.equal(accepted.length, 20);
      assert.ok(accepted.every((bid) => bid.status === 'FROZEN' && bid.amount === '100.00' && bid.loan.id === loanId));
      // One situation, one answer: every bid the full loan refused gets CONFLICT, whether it came while the
      // last freezes were still out (nothing left, not yet FULLY_FUNDED) or after.
      const refused = responses.filter((each) => each.errors !== undefined);
      assert.equal(refused.length, 20);
      for (const response of refused) {
        assert.deepEqual(errorCodes(response), ['CONFLICT'], JSON.stringify(response.errors));
        assert.equal(response.errors![0].message, `loan ${loanId} is fully funded: nothing remains to bid on`);
      }
      const row = await funding(loanId);
      assert.deepEqual([row.raisedFen, row.bidCount, row.status], [200_000n, 20, 'FULLY_FUNDED']);
      const frozen = await forkEntityManager(orm).find(Bid, { loanId, status: 'FROZEN' });
      assert.equal(frozen.length, 20);
      for (const investorId of investorIds) {
        const mineFen = frozen
          .filter((bid) => bid.investorId === investorId)
          .reduce((sum, bid) => sum + bid.amountFen, 0n);
        assert.deepEqual(await bank.balance(investorId), { availableFen: 1_000_000n - mineFen, frozenFen: mineFen });
      }
      const [fullyFunded, ...more] = await outbox('bids.loan.fully-funded', loanId);
      assert.equal(more.length, 0, 'exactly one bids.loan.fully-funded');
      const payload = JSON.parse(fullyFunded.body).payload as {
        loanId: string;
        raisedFen: string;
        bids: { bidId: string; investorId: string; amountFen: string }[];
      };
      assert.equal(payload.raisedFen, '200000');
      assert.ok(decodePayload(LoanFullyFunded, payload).ok, 'the payload keeps its contract');
      assert.equal(
        payload.bids.reduce((sum, bid) => sum + BigInt(bid.amountFen), 0n),
        200_000n,
      );
      assert.deepEqual(payload.bids.map((bid) => bid.bidId).sort(), frozen.map((bid) => bid.id).sort());
      assert.equal((await outbox('bids.bid.placed', loanId)).length, 20);
      assert.deepEqual(errorCodes(await place(investorIds[0], loanId, '100.00')), ['CONFLICT']);

      const [entity] = dataOf(await call(LOAN_ENTITIES, { r: [{ __typename: 'Loan', id: loanId }] }))._entities;
      assert.deepEqual(entity.funding, { raised: '2000.00', remaining: '0.00', bidCount: 20, progress: 1 });
      assert.equal(entity.bids.totalCount, 20);

      // The whole payload loans publishes: the contract checks every field, not only those bids reads.
      const {
        loanNo,
        borrowerId: borrower,
        amountFen,
        investorRateMicros,
        termMonths,
        repaymentMethod,
      } = await funding(loanId);
      await deliver(bidsOnLoanDisbursed, {
        loanId,
        loanNo,
        borrowerId: borrower,
        amountFen: amountFen.toString(),
        annualRateMicros: 150_000,
        investorRateMicros,
        termMonths,
        repaymentMethod,
        disbursedAt: new Date().toISOString(),
        feeFen: '0',
        bids: payload.bids,
      });
      assert.equal(await forkEntityManager(orm).count(Bid, { loanId, status: 'LOANED' }), 20);
      assert.equal((await funding(loanId)).status, 'CLOSED');
    });

    test('an investor without funds gets INSUFFICIENT_FUNDS: the bid FAILED, the reservation given back', async () => {
      const loanId = await openLoan(200_000n);
      const poorId = await newInvestor(5_000n);
      assert.deepEqual(errorCodes(await place(poorId, loanId, '100.00')), ['INSUFFICIENT_FUNDS']);
      const row = await funding(loanId);
      assert.deepEqual([row.raisedFen, row.bidCount, row.status], [0n, 0, 'FUNDRAISING']);
      assert.deepEqual(
        (await forkEntityManager(orm).find(Bid, { loanId })).map((bid) => bid.status),
        ['FAILED'],
      );
      assert.deepEqual(await bank.balance(poorId), { availableFen: 5_000n, frozenFen: 0n });
      assert.equal((await outbox('bids.bid.placed', loanId)).length, 0);
    });

    test('bids that wait for a round go together and each is answered as it would be alone after the ones before it', async () => {
      const loanId = await openLoan(100_000n);
      const [rich, poor] = [await newInvestor(1_000_000n), await newInvestor(5_000n)];
      const desk = new BidDesk(orm, bankClient, { minBidFen: 10_000n, bidsPerLoanMax: LOAN_BIDS_MAX }, 1);
      const now = new Date();
      const opener = desk.place(rich, loanId, 10_000n, now);
      // Offered while the opener's round runs: they wait, then go in one round, in this order.
      const round = [
        [poor, 10_000n],
        [borrowerId, 10_000n],
        [rich, 85_000n],
        [rich, 70_000n],
        [rich, 10_000n],
        [rich, 10_000n],
      ] as const;
      const answers = await Promise.allSettled([
        opener,
        ...round.map(([investorId, amountFen]) => desk.place(investorId, loanId, amountFen, now)),
      ]);
      assert.deepEqual(
        answers.map((answer) =>
          answer.status === 'fulfilled' ? answer.value.status : (answer.reason as GraphQLError).extensions.code,
        ),
        ['FROZEN', 'INSUFFICIENT_FUNDS', 'FORBIDDEN', 'BAD_USER_INPUT', 'FROZEN', 'FROZEN', 'CONFLICT'],
        'the bank refuses the poor bid; the borrower is refused; 85,000.00 is above the 80,000.00 left; 70,000.00 and 10,000.00 fill it; the last finds it full',
      );
      const row = await funding(loanId);
      assert.deepEqual(
        [row.raisedFen, row.bidCount, row.status],
        [90_000n, 3, 'FUNDRAISING'],
        'the refused freeze gave its reservation back',
      );
      assert.deepEqual(
        (await forkEntityManager(orm).find(Bid, { loanId }, { orderBy: { amountFen: 'asc', status: 'asc' } })).map(
          (bid) => [bid.amountFen, bid.status],
        ),
        [
          [10_000n, 'FAILED'],
          [10_000n, 'FROZEN'],
          [10_000n, 'FROZEN'],
          [70_000n, 'FROZEN'],
        ],
      );
      assert.deepEqual(await bank.balance(rich), { availableFen: 910_000n, frozenFen: 90_000n });
      assert.deepEqual(await bank.balance(poor), { availableFen: 5_000n, frozenFen: 0n });
      assert.equal((await outbox('bids.bid.placed', loanId)).length, 3);
    });

    test(`past ${BIDS_WAITING_MAX} bids waiting for a round a call is told RATE_LIMITED at once and nothing is taken; the waiting ones are answered`, async () => {
      const loanId = await openLoan(100_000n);
      const investor = await newInvestor(100_000n);
      const unknownLoanId = newId();
      const desk = new BidDesk(orm, bankClient, { minBidFen: 10_000n, bidsPerLoanMax: LOAN_BIDS_MAX }, 1);
      const now = new Date();
      // The first call starts the only round at once; the next BIDS_WAITING_MAX wait behind it.
      const waiting = Array.from({ length: BIDS_WAITING_MAX + 1 }, () =>
        desk.place(investor, unknownLoanId, 10_000n, now),
      );
      await assert.rejects(desk.place(investor, loanId, 10_000n, now), (error: GraphQLError) => {
        assert.deepEqual([error.extensions.code, error.extensions.retryAfterMs], ['RATE_LIMITED', 1_000]);
        return true;
      });
      const answers = await Promise.allSettled(waiting);
      assert.ok(
        answers.every(
          (answer) => answer.status === 'rejected' && (answer.reason as GraphQLError).extensions.code === 'NOT_FOUND',
        ),
        'every waiting call answered',
      );
      assert.deepEqual(
        [(await funding(loanId)).raisedFen, await forkEntityManager(orm).count(Bid, { loanId })],
        [0n, 0],
        'the refused call took nothing',
      );
      assert.equal(
        (await desk.place(investor, loanId, 10_000n, now)).status,
        'FROZEN',
        'once the queue drained, bids are taken again',
      );
    });

    test('a bid of a group someone else froze meanwhile is left alone: the group is undone and each goes alone, one event per bid', async () => {
      const loanId = await openLoan(100_000n);
      const investorId = await newInvestor(1_000_000n);
      const silentDesk = new BidDesk(
        orm,
        new InternalBankClient('http://127.0.0.1:9', 'nobody-listens', 1_000),
        { minBidFen: 10_000n, bidsPerLoanMax: LOAN_BIDS_MAX },
        1,
      );
      const [settledElsewhere, stillPending] = [
        await silentDesk.place(investorId, loanId, 10_000n, new Date()),
        await silentDesk.place(investorId, loanId, 20_000n, new Date()),
      ];
      assert.deepEqual([settledElsewhere.status, stillPending.status], ['PENDING', 'PENDING']);
      await forkEntityManager(orm).nativeUpdate(Bid, { id: settledElsewhere.id }, { status: 'FROZEN' });
      const { loanNo } = await funding(loanId);
      const outcomes = await freezeBids(
        forkEntityManager(orm),
        bankClient,
        [settledElsewhere, stillPending].map((bid) => ({ bid, loanNo })),
        new Date(),
      );
      assert.deepEqual(
        outcomes.map((outcome) => outcome.kind),
        ['FROZEN', 'FROZEN'],
      );
      assert.deepEqual(
        (await forkEntityManager(orm).find(Bid, { loanId }, { orderBy: { amountFen: 'asc' } })).map(
          (bid) => bid.status,
        ),
        ['FROZEN', 'FROZEN'],
      );
      const placed = (await outbox('bids.bid.placed', loanId)).map((message) => JSON.parse(message.body).payload.bidId);
      assert.deepEqual(
        placed,
        [stillPending.id],
        'only the bid this group froze is announced (the other was, by whoever froze it)',
      );
      assert.deepEqual(await bank.balance(investorId), { availableFen: 970_000n, frozenFen: 30_000n });
    });

    test('loans.loan.failed releases every freeze at the bank and the bids become REFUNDED', async () => {
      const loanId = await openLoan(300_000n);
      const [first, second] = [await newInvestor(1_000_000n), await newInvestor(1_000_000n)];
      for (const [investorId, amount] of [
        [first, '500.00'],
        [second, '700.00'],
        [first, '300.00'],
      ] as const) {
        assert.equal(dataOf(await place(investorId, loanId, amount)).placeBid.status, 'FROZEN');
      }
      assert.deepEqual(await bank.balance(first), { availableFen: 920_000n, frozenFen: 80_000n });
      const preview = dataOf(await call(PREVIEW, { loanId, amount: '1000.00' }, token(first, 'INVESTOR'))).bidPreview;
      // The key by which the depository subgraph adds the viewer's availableBalance (marketplace e2e).
      assert.deepEqual(
        [preview.id, preview.loan.id, preview.remaining, preview.minBid, preview.bidsLeft],
        [`${loanId}:${first}`, loanId, '1500.00', '100.00', LOAN_BIDS_MAX - 3],
      );
      assert.ok(
        Number(preview.expectedInterest) > 50 && Number(preview.expectedInterest) < 60,
        `1000.00 at 10% over 12 equal installments: ${preview.expectedInterest}`,
      );
      const tooMuch = dataOf(await call(PREVIEW, { loanId, amount: '1500.01' }, token(first, 'INVESTOR'))).bidPreview;
      assert.equal(tooMuch.expectedInterest, null, 'more than remains: no bid of it would be paid');

      await deliver(LoanFailed, { loanId, reason: 'FUNDING_WINDOW_EXPIRED' });
      // The settle job polls hourly here: only the wake of the handled event can have released them.
      await eventually(
        async () =>
          (await forkEntityManager(orm).count(Bid, { loanId, status: 'REFUNDED' })) === 3 ? true : undefined,
        10_000,
      );
      assert.deepEqual(await bank.balance(first), { availableFen: 1_000_000n, frozenFen: 0n });
      assert.deepEqual(await bank.balance(second), { availableFen: 1_000_000n, frozenFen: 0n });
      assert.equal((await funding(loanId)).status, 'CLOSED');
      assert.equal((await settleBids(forkEntityManager(orm), bankClient, new Date())).released, 0, 'released once');

      const [user] = dataOf(
        await call(USER_ENTITIES, { r: [{ __typename: 'User', id: first }] }, token(first, 'INVESTOR')),
      )._entities;
      assert.equal(user.bids.totalCount, 2);
      assert.deepEqual(
        errorCodes(await call(USER_ENTITIES, { r: [{ __typename: 'User', id: first }] }, token(second, 'INVESTOR'))),
        ['FORBIDDEN'],
      );
    });

    test('bidPreview reads bids for expectedInterest only when it is asked for; the figure is the same', async () => {
      const loanId = await openLoan(300_000n);
      const investorId = await newInvestor(1_000_000n);
      for (const amount of ['500.00', '700.00'])
        assert.equal(dataOf(await place(investorId, loanId, amount)).placeBid.status, 'FROZEN');
      const bearer = token(investorId, 'INVESTOR');
      /** SQL statements the subgraph sent for requests so far (wanxin_sql_queries_total{source="request"}). */
      const requestStatements = async () => {
        const text = await (await fetch(new URL('/metrics', bids.url))).text();
        const line = /^wanxin_sql_queries_total\{[^}]*source="request"[^}]*\} ([0-9]+)$/m.exec(text);
        return Number(line?.[1] ?? 0);
      };
      const statementsOf = async (query: string) => {
        const before = await requestStatements();
        const preview = dataOf(await call(query, { loanId, amount: '1000.00' }, bearer)).bidPreview;
        return { preview, statements: (await requestStatements()) - before };
      };
      const without = await statementsOf(
        'query($loanId: ID!, $amount: Money) { bidPreview(loanId: $loanId, amount: $amount) { remaining bidsLeft } }',
      );
      const withInterest = await statementsOf(PREVIEW);
      assert.deepEqual(without.preview, { remaining: '1800.00', bidsLeft: LOAN_BIDS_MAX - 2 });
      assert.ok(
        without.statements < withInterest.statements,
        `without expectedInterest ${without.statements} statements, with it ${withInterest.statements}`,
      );
      const terms = {
        loanAmountFen: 300_000n,
        borrowerRateMicros: 150_000,
        investorRateMicros: 100_000,
        bids: (await forkEntityManager(orm).find(Bid, { loanId })).map((bid) => ({
          bidId: bid.id,
          amountFen: bid.amountFen,
        })),
        amountFen: 100_000n,
        termMonths: 12,
        method: 'EQUAL_INSTALLMENT' as const,
      };
      const startDate = await currentBusinessDate(forkEntityManager(orm), new Date());
      assert.equal(withInterest.preview.expectedInterest, formatMoney(expectedInterestFen({ ...terms, startDate })));
    });

    test("amountRaisedToday counts the bids placed while the business date was the key's day, ahead of the wall clock", async () => {
      const STATS =
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on PlatformStats { amountRaisedToday } } }';
      const raised = async (date: string) =>
        dataOf(await call(STATS, { r: [{ __typename: 'PlatformStats', date }] }, token(newId(), 'ADMIN')))._entities[0]
          .amountRaisedToday;
      const ahead = addDays(utcDateOf(new Date()), 400);
      const investorId = await newInvestor(1_000_000n);
      await deliver(businessDayOnDateAdvanced, { date: ahead }, BUSINESS_DATE_AGGREGATE);
      assert.equal(dataOf(await place(investorId, await openLoan(300_000n), '400.00')).placeBid.status, 'FROZEN');
      assert.equal(await raised(ahead), '400.00');
      await deliver(businessDayOnDateAdvanced, { date: addDays(ahead, 1) }, BUSINESS_DATE_AGGREGATE);
      assert.equal(dataOf(await place(investorId, await openLoan(300_000n), '250.00')).placeBid.status, 'FROZEN');
      assert.deepEqual([await raised(ahead), await raised(addDays(ahead, 1))], ['400.00', '250.00']);
      assert.equal(await raised(addDays(ahead, 3)), '0.00', 'a day the business date never reached');
    });

    test("bidPreview's expected interest starts on the business date, not the wall clock's day", async () => {
      // A year from 2031-06-01 holds 2032-02-29: at 10 % a DAILY loan earns a day more than over a year without one.
      const businessDate = '2031-06-01';
      await deliver(businessDayOnDateAdvanced, { date: businessDate }, BUSINESS_DATE_AGGREGATE);
      const loanId = await openLoan(300_000n, 'DAILY');
      const preview = dataOf(
        await call(PREVIEW, { loanId, amount: '1000.00' }, token(await newInvestor(0n), 'INVESTOR')),
      ).bidPreview;
      const terms = {
        loanAmountFen: 300_000n,
        borrowerRateMicros: 150_000,
        investorRateMicros: 100_000,
        bids: [],
        amountFen: 100_000n,
        termMonths: 12,
        method: 'DAILY' as const,
      };
      const onBusinessDate = expectedInterestFen({ ...terms, startDate: businessDate });
      assert.notEqual(
        onBusinessDate,
        expectedInterestFen({ ...terms, startDate: utcDateOf(new Date()) }),
        'the two dates differ',
      );
      assert.equal(preview.expectedInterest, formatMoney(onBusinessDate));
    });

    test('a freeze with no answer leaves the bid PENDING and counted; the settle pass freezes it once and then completes the funding', async () => {
      const loanId = await openLoan(20_000n);
      const [slow, fast] = [await newInvestor(1_000_000n), await newInvestor(1_000_000n)];
      const silentBank = new InternalBankClient('http://127.0.0.1:9', 'nobody-listens', 1_000);
      const pending = await new BidDesk(
        orm,
        silentBank,
        { minBidFen: 10_000n, bidsPerLoanMax: LOAN_BIDS_MAX },
        1,
      ).place(slow, loanId, 10_000n, new Date());
      assert.equal(pending.status, 'PENDING');
      assert.deepEqual(
        [(await funding(loanId)).raisedFen, (await funding(loanId)).bidCount],
        [10_000n, 1],
        'counted while PENDING',
      );
      // The bank did apply it; only the answer was lost.
      const applied = await bankClient.send(
        'USER_AUTO_PRE_TRANSACTION',
        {
          requestNo: pending.requestNo,
          userNo: bankUserNoFor(slow),
          projectNo: (await funding(loanId)).loanNo,
          bizType: 'TENDER',
          amountFen: '10000',
        },
        slow,
      );
      assert.ok(applied.kind === 'ANSWERED' && applied.result.code === BANK_CODES.SUCCESS);
      assert.equal(dataOf(await place(fast, loanId, '100.00')).placeBid.status, 'FROZEN');
      assert.equal((await funding(loanId)).status, 'FUNDRAISING', 'full, but one bid still PENDING');
      assert.equal((await outbox('bids.loan.fully-funded', loanId)).length, 0);

      assert.deepEqual(await settleBids(forkEntityManager(orm), bankClient, new Date(), 0), {
        frozen: 1,
        failed: 0,
        released: 0,
        completed: 0,
      });
      assert.equal((await forkEntityManager(orm).findOneOrFail(Bid, { id: pending.id })).status, 'FROZEN');
      assert.deepEqual(
        await bank.balance(slow),
        { availableFen: 990_000n, frozenFen: 10_000n },
        'frozen once at the bank',
      );
      assert.deepEqual([(await funding(loanId)).raisedFen, (await funding(loanId)).status], [20_000n, 'FULLY_FUNDED']);
      assert.equal((await outbox('bids.loan.fully-funded', loanId)).length, 1);
      assert.equal(
        (await settleBids(forkEntityManager(orm), bankClient, new Date(), 0)).frozen,
        0,
        'nothing left to settle',
      );
    });

    test(`with BID_PER_LOAN_MAX=${CAP} the last bid takes the whole remainder and concurrent bids never pass the cap`, async () => {
      const definition = createSubgraph();
      const env = {
        ...environment.env,
        PORT: '0',
        DEPOSITORY_INTERNAL_URL: bank.agentBaseUrl,
        BID_SETTLE_INTERVAL_MS: '3600000',
      };
      assert.throws(
        () => readSubgraphConfig(definition, { ...env, BID_PER_LOAN_MAX: String(LOAN_BIDS_MAX + 1) }),
        (error) => error instanceof ConfigError && /BID_PER_LOAN_MAX/.test(error.message),
      );
      const capped = await startSubgraph(
        definition,
        readSubgraphConfig(definition, { ...env, BID_PER_LOAN_MAX: String(CAP) }),
      );
      try {
        const placeCapped = (investorId: string, loanId: string, amount: string) =>
          postGraphQL(capped.url, PLACE, { loanId, amount }, token(investorId, 'INVESTOR'));
        const investorIds = await Promise.all([0, 1, 2, 3, 4, 5].map(() => newInvestor(1_000_000n)));
        const figures = async (loanId: string) => {
          const row = await funding(loanId);
          return [row.raisedFen, row.bidCount, row.status];
        };

        // One by one: two bids of 500.00, then the third must be the whole remaining 2,000.00.
        const loanId = await openLoan(300_000n);
        for (const investorId of investorIds.slice(0, 2))
          assert.equal(dataOf(await placeCapped(investorId, loanId, '500.00')).placeBid.status, 'FROZEN');
        const preview = dataOf(
          await postGraphQL(capped.url, PREVIEW, { loanId }, token(investorIds[2], 'INVESTOR')),
        ).bidPreview;
        assert.deepEqual([preview.remaining, preview.bidsLeft], ['2000.00', 1]);
        const short = await placeCapped(investorIds[2], loanId, '1000.00');
        assert.deepEqual(errorCodes(short), ['BAD_USER_INPUT']);
        assert.match(short.errors![0].message, /takes one more bid, which must be the whole remaining 2000\.00/);
        assert.deepEqual(await figures(loanId), [100_000n, 2, 'FUNDRAISING'], 'the refused bid changed nothing');
        assert.deepEqual(await bank.balance(investorIds[2]), { availableFen: 1_000_000n, frozenFen: 0n });
        assert.equal(dataOf(await placeCapped(investorIds[2], loanId, '2000.00')).placeBid.status, 'FROZEN');
        assert.deepEqual(await figures(loanId), [300_000n, CAP, 'FULLY_FUNDED']);
        const [fullyFunded] = await outbox('bids.loan.fully-funded', loanId);
        assert.equal((JSON.parse(fullyFunded.body).payload.bids as unknown[]).length, CAP);
        assert.deepEqual(
          errorCodes(await placeCapped(investorIds[3], loanId, '100.00')),
          ['CONFLICT'],
          'a fourth bid is impossible',
        );

        // Twelve concurrent bids of 100.00 on 2,000.00: two fit, none of the others can be the last.
        const waveLoanId = await openLoan(200_000n);
        const small = await Promise.all(
          Array.from({ length: 12 }, (_, index) => placeCapped(investorIds[index % 6], waveLoanId, '100.00')),
        );
        assert.equal(small.filter((response) => response.errors === undefined).length, CAP - 1);
        assert.ok(
          small.every((response) => response.errors === undefined || errorCodes(response)[0] === 'BAD_USER_INPUT'),
          'a refusal says the last bid must be the whole remainder',
        );
        assert.deepEqual(await figures(waveLoanId), [20_000n, CAP - 1, 'FUNDRAISING']);
        // Six concurrent bids of the whole remaining 1,800.00: exactly one is the third bid.
        const whole = await Promise.all(
          investorIds.map((investorId) => placeCapped(investorId, waveLoanId, '1800.00')),
        );
        assert.equal(whole.filter((response) => response.errors === undefined).length, 1);
        assert.ok(
          whole.every(
            (response) =>
              response.errors === undefined || ['BAD_USER_INPUT', 'CONFLICT'].includes(errorCodes(response)[0]!),
          ),
          JSON.stringify(whole),
        );
        assert.deepEqual(await figures(waveLoanId), [200_000n, CAP, 'FULLY_FUNDED']);
        const frozen = await forkEntityManager(orm).find(Bid, { loanId: waveLoanId, status: 'FROZEN' });
        assert.equal(frozen.length, CAP);
        assert.equal((await outbox('bids.loan.fully-funded', waveLoanId)).length, 1);
        const frozenAtBank = (await Promise.all(investorIds.map((investorId) => bank.balance(investorId)))).reduce(
          (sum, balance) => sum + balance.frozenFen,
          0n,
        );
        assert.equal(frozenAtBank, 300_000n + 200_000n, 'the bank froze exactly the FROZEN bids of both loans');

        // A cap lowered under a loan's bids (the setting changed while it was open) takes no more bids.
        const loweredLoanId = await openLoan(300_000n);
        for (const investorId of investorIds.slice(0, 2))
          assert.equal(dataOf(await placeCapped(investorId, loweredLoanId, '500.00')).placeBid.status, 'FROZEN');
        await assert.rejects(
          new BidDesk(orm, bankClient, { minBidFen: 10_000n, bidsPerLoanMax: 2 }, 1).place(
            investorIds[2],
            loweredLoanId,
            200_000n,
            new Date(),
          ),
          (error: { extensions?: { code?: string } }) => error.extensions?.code === 'CONFLICT',
        );
        assert.deepEqual(await figures(loweredLoanId), [100_000n, 2, 'FUNDRAISING']);
      } finally {
        await capped.stop();
      }
    });

    test('Loan.funding of many loans is one query per request (DataLoader)', async () => {
      const loanIds = await Promise.all([0, 1, 2, 3, 4].map(() => openLoan(300_000n)));
      const em = forkEntityManager(orm);
      const knex = (
        em.getConnection() as unknown as {
          getKnex(): { on(event: string, listener: () => void): void; off(event: string, listener: () => void): void };
        }
      ).getKnex();
      let queries = 0;
      const count = () => {
        queries += 1;
      };
      knex.on('query', count);
      try {
        const context = { em, loaders: new RequestLoaders(em) } as never;
        const resolver = new LoanBidsResolver();
        const figures = await Promise.all(loanIds.map((id) => resolver.funding({ id }, context)));
        assert.ok(figures.every((figure) => figure.remainingFen === 300_000n && figure.bidCount === 0));
      } finally {
        knex.off('query', count);
      }
      assert.equal(queries, 1);
    });
  });
}
