// Proves auto-invest (自动投标) against the real bank simulator and the real depository agent (in this
// process), on libsql and MariaDB: setAutoInvest refuses bad rules (as variables and as literals) with
// BAD_USER_INPUT and stores nothing, and replaces an investor's one rule; a loan opening with 10 rules fills
// the auto share (0.5) in the fair order — all rules new, so by id — and the next loan starts with the
// rules not served last time, a third with the first again; a manual investor bids the rest and the loan
// fills; a rule whose investor would fall below its reserve, a disabled rule and a rule for other loans
// never bid, and the skipped rule keeps its place; an engine that died mid-loan (its reservations
// committed, its run unfinished) resumes without a second bid for any rule, and two engines on one loan
// at once never bid twice for a rule nor pass the share; `loans.loan.opened` delivered again changes
// nothing.
// Shortcuts, said plainly: loans' events are crafted by the test (the loans subgraph is not started) and
// delivered through the in-process transport to the running subgraph, whose auto-invest job the event
// wakes; the test waits for the loan's run to be finished. "Died mid-loan" is the state such a death
// leaves, built for real: an engine whose freezes go to an agent URL nobody listens on reserves PENDING
// bids, and its run is marked unfinished again; the settle pass is called directly. Each test disables the
// rules of the tests before it (one database for the file).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  forkEntityManager,
  InternalBankClient,
  newId,
  OutboxMessage,
  type Database,
  type HttpService,
  type Role,
} from '@wanxin/platform';
import {
  databaseKindsUnderTest,
  dataOf,
  deliverEvent,
  errorCodes,
  eventually,
  postGraphQL,
} from '@wanxin/platform/testing';
import type { BankAndAgent } from '@wanxin/depository/testing';
import { AutoInvestRule } from '../src/entities/auto-invest-rule.entity';
import { AutoInvestRun } from '../src/entities/auto-invest-run.entity';
import { Bid } from '../src/entities/bid.entity';
import { Funding } from '../src/entities/funding.entity';
import { settleBids } from '../src/jobs/settle-bids';
import { AutoInvestEngine } from '../src/operations/auto-invest';
import { BidDesk } from '../src/operations/place-bid';
import { startBidsWithBank, type BidsWithBank } from './bank-fixture';

const SET =
  'mutation($i: AutoInvestInput!) { setAutoInvest(input: $i) { id enabled amountPerLoan rateMin termMax methods reserve lastServedAt } }';
const USER_RULE =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id autoInvest { id amountPerLoan } } } }';
const PLACE =
  'mutation($loanId: ID!, $amount: Money!) { placeBid(loanId: $loanId, amount: $amount) { id status auto } }';
const LOAN_BIDS =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on Loan { bids(first: 100) { edges { node { amount auto status } } } } } }';
const MIN_FEN = 10_000n;
const ENGINE_SETTINGS = { shareMaxMicros: 500_000, bidsInFlight: 3, rulesPageSize: 4, minBidFen: MIN_FEN };

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`auto-invest with the bank on ${kind}`, { skip }, () => {
    let fixture: BidsWithBank;
    let bank: BankAndAgent;
    let bids: HttpService;
    let orm: Database;
    let bankClient: InternalBankClient;
    const borrowerId = newId();
    const token = (id: string, role: Role) => fixture.token(id, role);
    const call = (query: string, variables: Record<string, unknown>, bearer?: string) =>
      postGraphQL(bids.url, query, variables, bearer);
    const em = () => forkEntityManager(orm);

    const newInvestor = (rechargeFen: bigint) => fixture.newInvestor(rechargeFen);
    /** The investor's rule set through GraphQL, as they would set it. */
    const setRule = async (investorId: string, input: Record<string, unknown>) =>
      dataOf(await call(SET, { i: input }, token(investorId, 'INVESTOR'))).setAutoInvest;
    /** Every rule of earlier tests disabled: each test's loans see only its own rules. */
    const disableEveryRule = () => em().nativeUpdate(AutoInvestRule, {}, { enabled: false });
    /** A loan registered at the bank and opened to bids by `loans.loan.opened`; waits until its run finished. */
    const openLoan = async (amountFen: bigint, repaymentMethod?: string) => {
      const opened = await fixture.openLoan(amountFen, repaymentMethod);
      await runFinished(opened.loanId);
      return opened;
    };
    const runFinished = (loanId: string) =>
      eventually(async () => {
        const run = await em().findOne(AutoInvestRun, { loanId });
        return run?.finishedAt ? run : undefined;
      }, 30_000);
    const autoBids = (loanId: string) =>
      em().find(Bid, { loanId, autoRuleId: { $ne: null } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const sumFen = (rows: readonly Bid[]) => rows.reduce((sum, bid) => sum + bid.amountFen, 0n);

    before(async () => {
      fixture = await startBidsWithBank(kind, borrowerId, {
        BID_SETTLE_INTERVAL_MS: '3600000',
        AUTO_INVEST_INTERVAL_MS: '3600000',
        AUTO_INVEST_BIDS_IN_FLIGHT: '3',
        AUTO_INVEST_RULES_PAGE: '4',
      });
      ({ bank, bids, orm, bankClient } = fixture);
    });
    after(() => fixture?.stop());

    test('setAutoInvest refuses bad rules as variables and as literals, stores nothing, and replaces a rule', async () => {
      const investorId = newId();
      const bearer = token(investorId, 'INVESTOR');
      const valid = { amountPerLoan: '1000.00' };
      const badInputs: Record<string, unknown>[] = [
        { amountPerLoan: '99.00' },
        { amountPerLoan: '150.00' },
        { amountPerLoan: '100.001' },
        { amountPerLoan: 10000 },
        { amountPerLoan: '-100.00' },
        { ...valid, rateMin: '1.01' },
        { ...valid, rateMin: '-0.01' },
        { ...valid, termMax: 0 },
        { ...valid, termMax: 361 },
        { ...valid, methods: [] },
        { ...valid, methods: ['WEEKLY'] },
        { ...valid, reserve: '-1.00' },
      ];
      for (const input of badInputs) {
        const asVariables = await call(SET, { i: input }, bearer);
        assert.deepEqual(errorCodes(asVariables), ['BAD_USER_INPUT'], `variables ${JSON.stringify(input)}`);
      }
      const literals = [
        '{ amountPerLoan: "99.00" }',
        '{ amountPerLoan: "150.00" }',
        '{ amountPerLoan: "100.001" }',
        '{ amountPerLoan: 10000 }',
        '{ amountPerLoan: "1000.00", rateMin: "1.5" }',
        '{ amountPerLoan: "1000.00", termMax: 0 }',
        '{ amountPerLoan: "1000.00", methods: [] }',
        '{ amountPerLoan: "1000.00", reserve: "-1.00" }',
      ];
      for (const literal of literals) {
        const asLiteral = await call(`mutation { setAutoInvest(input: ${literal}) { id } }`, {}, bearer);
        assert.deepEqual(errorCodes(asLiteral), ['BAD_USER_INPUT'], `literal ${literal}`);
      }
      assert.deepEqual(errorCodes(await call(SET, { i: valid }, token(investorId, 'BORROWER'))), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await call(SET, { i: valid }, token(investorId, 'ADMIN'))), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await call(SET, { i: valid })), ['UNAUTHENTICATED']);
      assert.equal(await em().count(AutoInvestRule, { investorId }), 0, 'nothing stored');

      const first = await setRule(investorId, { ...valid, methods: ['DAILY', 'BULLET'], termMax: 24 });
      assert.deepEqual(
        { ...first, id: undefined },
        {
          id: undefined,
          enabled: true,
          amountPerLoan: '1000.00',
          rateMin: null,
          termMax: 24,
          methods: ['BULLET', 'DAILY'],
          reserve: '0.00',
          lastServedAt: null,
        },
      );
      const second = await setRule(investorId, { enabled: false, amountPerLoan: '2000.00', rateMin: '0.08' });
      assert.equal(second.id, first.id, 'one rule per investor, replaced');
      assert.deepEqual(
        [second.enabled, second.amountPerLoan, second.rateMin, second.methods],
        [false, '2000.00', '0.08', null],
      );
      assert.equal(await em().count(AutoInvestRule, { investorId }), 1);

      const representations = { r: [{ __typename: 'User', id: investorId }] };
      const own = dataOf(await call(USER_RULE, representations, bearer))._entities[0];
      assert.deepEqual(own.autoInvest, { id: first.id, amountPerLoan: '2000.00' });
      const admin = dataOf(await call(USER_RULE, representations, token(newId(), 'ADMIN')))._entities[0];
      assert.equal(admin.autoInvest.id, first.id);
      const other = await call(USER_RULE, representations, token(newId(), 'INVESTOR'));
      assert.deepEqual(errorCodes(other), ['FORBIDDEN']);
      assert.equal(other.data._entities[0].autoInvest, null);
    });

    test('10 rules fill the auto share in the fair order, the next loan starts with the rules not served', async () => {
      await disableEveryRule();
      const investorIds = await Promise.all(Array.from({ length: 10 }, () => newInvestor(1_000_000n)));
      const rules = [];
      for (const investorId of investorIds) rules.push(await setRule(investorId, { amountPerLoan: '1000.00' }));
      const byId = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1)).map((rule) => rule.id);

      // 10,000.00: the share is 5,000.00, five bids of 1,000.00; never served, the rules go by id.
      const first = await openLoan(1_000_000n);
      const firstBids = await autoBids(first.loanId);
      assert.equal(firstBids.length, 5);
      assert.ok(firstBids.every((bid) => bid.status === 'FROZEN' && bid.amountFen === 100_000n));
      assert.deepEqual(firstBids.map((bid) => bid.autoRuleId).sort(), byId.slice(0, 5));
      assert.equal(sumFen(firstBids), 500_000n);
      for (const bid of firstBids)
        assert.deepEqual(await bank.balance(bid.investorId), { availableFen: 900_000n, frozenFen: 100_000n });

      const second = await openLoan(1_000_000n);
      assert.deepEqual((await autoBids(second.loanId)).map((bid) => bid.autoRuleId).sort(), byId.slice(5));
      // 5,000.00: the share is 2,500.00, two bids of 1,000.00 and the third cut down to 500.00; the rules
      // served longest ago go first, in the order they were served.
      const third = await openLoan(500_000n);
      const thirdBids = await autoBids(third.loanId);
      assert.deepEqual(thirdBids.map((bid) => [bid.autoRuleId, bid.amountFen]).sort(), [
        [byId[0], 100_000n],
        [byId[1], 100_000n],
        [byId[2], 50_000n],
      ]);

      // The manual investors get the rest, and the loan fills.
      const manual = await newInvestor(1_000_000n);
      const placed = dataOf(await call(PLACE, { loanId: first.loanId, amount: '5000.00' }, token(manual, 'INVESTOR')));
      assert.deepEqual([placed.placeBid.status, placed.placeBid.auto], ['FROZEN', false]);
      const funding = await em().findOneOrFail(Funding, { loanId: first.loanId });
      assert.deepEqual([funding.raisedFen, funding.status], [1_000_000n, 'FULLY_FUNDED']);
      const shown = dataOf(await call(LOAN_BIDS, { r: [{ __typename: 'Loan', id: first.loanId }] }))._entities[0];
      assert.deepEqual(shown.bids.edges.map(({ node }: { node: { auto: boolean } }) => node.auto).sort(), [
        false,
        true,
        true,
        true,
        true,
        true,
      ]);
      // bids.bid.placed says which bids the engine placed: loans and the dashboards tell them apart.
      const placedEvents = await em().find(OutboxMessage, { type: 'bids.bid.placed', aggregateId: first.loanId });
      const autoOf = new Map(
        placedEvents.map(({ body }) => {
          const { payload } = JSON.parse(body) as { payload: { bidId: string; auto: boolean } };
          return [payload.bidId, payload.auto];
        }),
      );
      assert.equal(autoOf.size, 6);
      for (const bid of firstBids) assert.equal(autoOf.get(bid.id), true, `bid ${bid.id} is auto`);
      assert.equal(autoOf.get(placed.placeBid.id), false, 'the manual bid is not');
    });

    test('the reserve, a disabled rule and a rule for other loans: none bids, the skipped rule keeps its place', async () => {
      await disableEveryRule();
      const [keeper, disabled, otherTerms, bidder] = await Promise.all(
        [1_000_000n, 1_000_000n, 1_000_000n, 1_000_000n].map((fen) => newInvestor(fen)),
      );
      // 10,000.00 available, a bid of 1,000.00 would leave 9,000.00: under its 9,500.00 reserve.
      const kept = await setRule(keeper, { amountPerLoan: '1000.00', reserve: '9500.00' });
      await setRule(disabled, { amountPerLoan: '1000.00', enabled: false });
      await setRule(otherTerms, { amountPerLoan: '1000.00', methods: ['BULLET'] });
      await setRule(bidder, { amountPerLoan: '1000.00', reserve: '9000.00' });
      const { loanId } = await openLoan(1_000_000n);
      const placed = await autoBids(loanId);
      assert.deepEqual(
        placed.map((bid) => bid.investorId),
        [bidder],
      );
      const keeperRule = await em().findOneOrFail(AutoInvestRule, { id: kept.id });
      assert.equal(keeperRule.lastServedAt.getTime(), 0, 'skipped for its reserve: still first in the queue');
      assert.deepEqual(await bank.balance(keeper), { availableFen: 1_000_000n, frozenFen: 0n });
      assert.deepEqual(await bank.balance(bidder), { availableFen: 900_000n, frozenFen: 100_000n });
    });

    test('an engine that died mid-loan resumes without a second bid; two engines at once never bid twice', async () => {
      await disableEveryRule();
      const investorIds = await Promise.all(Array.from({ length: 8 }, () => newInvestor(1_000_000n)));
      for (const investorId of investorIds) await setRule(investorId, { amountPerLoan: '500.00' });
      // No rule can bid on it yet: the loan opens while every rule is disabled, and its run finishes empty.
      await em().nativeUpdate(AutoInvestRule, { investorId: { $in: investorIds } }, { enabled: false });
      const { loanId, payload, envelope } = await openLoan(600_000n);
      assert.equal((await autoBids(loanId)).length, 0);
      await em().nativeUpdate(AutoInvestRule, { investorId: { $in: investorIds } }, { enabled: true });

      // The dying engine: its freezes go nowhere (PENDING), it gets through half the share (a share of 0.25:
      // three bids of 500.00) and dies before marking the run finished.
      const limits = { minBidFen: MIN_FEN, bidsPerLoanMax: 1000 };
      const silentBank = new InternalBankClient('http://127.0.0.1:9', 'unused', 1_000);
      const dying = new AutoInvestEngine(orm, bankClient, new BidDesk(orm, silentBank, limits, 1), {
        ...ENGINE_SETTINGS,
        shareMaxMicros: 250_000,
      });
      await em().nativeUpdate(AutoInvestRun, { loanId }, { finishedAt: null });
      await dying.runLoan(loanId);
      const reserved = await autoBids(loanId);
      assert.equal(reserved.length, 3);
      assert.ok(reserved.every((bid) => bid.status === 'PENDING'));
      await em().nativeUpdate(AutoInvestRun, { loanId }, { finishedAt: null });

      // Restarted twice at once (two replicas, each its own desk), and the event delivered again (the same
      // message, then a new one): the share (3,000.00) fills with six rules, none bidding a second time.
      const engine = () =>
        new AutoInvestEngine(orm, bankClient, new BidDesk(orm, bankClient, limits, 2), ENGINE_SETTINGS);
      const reports = await Promise.all([engine().runLoan(loanId), engine().runLoan(loanId)]);
      assert.equal(reports[0].placed + reports[1].placed, 3, JSON.stringify(reports));
      await deliverEvent({ type: envelope.type, version: envelope.version, aggregateId: loanId, payload }, envelope.id);
      await deliverEvent({ type: envelope.type, version: envelope.version, aggregateId: loanId, payload });
      await settleBids(em(), bankClient, new Date(), 0);
      const settled = await autoBids(loanId);
      assert.equal(settled.length, 6, 'one bid per rule');
      assert.equal(new Set(settled.map((bid) => bid.autoRuleId)).size, 6);
      assert.ok(settled.every((bid) => bid.status === 'FROZEN'));
      assert.equal(sumFen(settled), 300_000n, 'the share, not more');
      assert.ok((await em().findOneOrFail(AutoInvestRun, { loanId })).finishedAt !== null);
      for (const bid of settled)
        assert.deepEqual(await bank.balance(bid.investorId), { availableFen: 950_000n, frozenFen: 50_000n });
    });
  });
}
