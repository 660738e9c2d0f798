// Proves a loan is never oversubscribed and no bid is lost or counted twice, through the gateway with every
// service its own process on MariaDB and RabbitMQ. 50 investors place 300 bids at once, about 2.5 times the
// loan, on one loan of 100,000.00: exactly 100,000.00 of bids end FROZEN and the loan becomes FULLY_FUNDED;
// every refused bid got CONFLICT or BAD_USER_INPUT, never an internal error, and left no bid row. Then the
// same wave on a new loan twice more, once with the bids subgraph and once with the depository agent
// SIGKILLed in the middle of it and started again: every bid left PENDING settles (the settle job asks the
// bank again with the same requestNo), every accepted bid ends FROZEN, the loan's raised amount is its
// FROZEN bids, and topped up it fills exactly. After each wave the bank agrees investor by investor (frozen
// = their FROZEN bids, balance = recharged less that, so a refused or FAILED bid left no trace there) and
// its ledger checks out with one open freeze per FROZEN bid.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, mapBounded, parseMoney } from '@wanxin/platform';
import { dataOf, eventually, servicesUnderTest, type GraphQLResponse } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform, type ServiceName } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const INVESTORS = 50;
const BIDS = 300;
const LOAN_AMOUNT = '100000.00';
/** Bid amounts in turn: 840.00 on average, so 300 bids ask 252,000.00 of a 100,000.00 loan. */
const BID_AMOUNTS_YUAN = [100, 100, 200, 500, 500, 1000, 1000, 1000, 2000, 2000];
/** More than any investor's bids of three waves can ask (3 × 6 × 2,000.00, and a top-up): no bid is refused for want of money. */
const RECHARGE = '50000.00';
/** The most one investor bids when topping up a loan a crash left short. */
const TOP_UP_BID_MAX = parseMoney('5000.00');
/** Members registered at once: each goes through the bank's page twice. */
const REGISTRATION_CONCURRENCY = 10;
/** The codes a refused bid may get: the loan is full (CONFLICT) or the amount no longer fits (BAD_USER_INPUT). */
const REFUSAL_CODES = ['CONFLICT', 'BAD_USER_INPUT'];
/** Bids an investor lists in one page: at most 3 × 6 and a few top-ups. */
const INVESTOR_BIDS_PAGE = 100;
/** Answers of a wave before a service is killed: the first round answers alone, the rest are in flight. */
const ANSWERS_BEFORE_KILL = 1;

interface BidAttempt {
  investor: number;
  amountFen: bigint;
  response: GraphQLResponse;
}

interface ListedBid {
  id: string;
  status: string;
  amount: string;
  loan: { id: string };
}

const sumFen = (amounts: bigint[]) => amounts.reduce((sum, amount) => sum + amount, 0n);

describe(
  '300 concurrent bids on one loan through the gateway (every service its own process, MariaDB, RabbitMQ, bank)',
  { skip },
  () => {
    let platform: RunningPlatform;
    let client: MarketplaceClient;
    let admin: string;
    let borrower: string;
    let investors: string[];

    before(async () => {
      platform = await startPlatform('mysql', true, { BID_SETTLE_INTERVAL_MS: '500' });
      client = new MarketplaceClient(platform);
      admin = await client.adminToken();
      const borrowerIdentity = identityFor(0);
      borrower = await client.member(borrowerIdentity.mobile, 'BORROWER', borrowerIdentity.idNumber);
      investors = await mapBounded(
        Array.from({ length: INVESTORS }, (_, index) => identityFor(index + 1)),
        REGISTRATION_CONCURRENCY,
        ({ mobile, idNumber }) => client.member(mobile, 'INVESTOR', idNumber, RECHARGE),
      );
    });
    after(async () => platform?.stop());

    /** A new loan of LOAN_AMOUNT, open for bids once bids has heard of it (loans.loan.opened). */
    async function openLoan(): Promise<string> {
      const loan = await client.publishLoan(borrower, LOAN_AMOUNT);
      assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
      await eventually(async () => {
        const preview = await client.gateway(
          'query($l: ID!) { bidPreview(loanId: $l) { remaining } }',
          { l: loan.id },
          investors[0],
        );
        return preview.errors === undefined && dataOf(preview).bidPreview.remaining === LOAN_AMOUNT ? true : undefined;
      });
      return loan.id;
    }

    /** BIDS bids at once on the loan, each investor's six of different amounts; `onAnswer` hears each answer as it comes. */
    function bidWave(loanId: string, onAnswer: () => void = () => {}): Promise<BidAttempt[]> {
      return Promise.all(
        Array.from({ length: BIDS }, async (_, bid) => {
          const investor = bid % INVESTORS;
          const amountFen = parseMoney(
            String(BID_AMOUNTS_YUAN[(bid + Math.floor(bid / INVESTORS)) % BID_AMOUNTS_YUAN.length]),
          );
          const response = await client.placeBid(loanId, formatMoney(amountFen), investors[investor]);
          onAnswer();
          return { investor, amountFen, response };
        }),
      );
    }

    /** Every investor's bids on every loan, once none is PENDING (the settle job asks the bank about those). */
    async function settledBids(): Promise<ListedBid[][]> {
      const bidsOf = async (token: string) => {
        const page = await client.gateway(
          'query($n: Int!) { me { bids(first: $n) { totalCount edges { node { id status amount loan { id } } } } } }',
          { n: INVESTOR_BIDS_PAGE },
          token,
        );
        const bids = dataOf(page).me.bids as { totalCount: number; edges: { node: ListedBid }[] };
        assert.ok(bids.totalCount <= INVESTOR_BIDS_PAGE, "one page holds all of an investor's bids");
        return bids.edges.map((edge) => edge.node);
      };
      return eventually(async () => {
        const lists = await Promise.all(investors.map(bidsOf));
        return lists.every((list) => list.every((bid) => bid.status !== 'PENDING')) ? lists : undefined;
      }, 60_000);
    }

    async function fundingOf(
      loanId: string,
    ): Promise<{ status: string; funding: { raised: string; remaining: string; bidCount: number } }> {
      return dataOf(
        await client.gateway(
          'query($l: ID!) { loan(id: $l) { status funding { raised remaining bidCount } } }',
          { l: loanId },
          borrower,
        ),
      ).loan;
    }

    async function fullyFunded(loanId: string): Promise<{ raised: string; remaining: string; bidCount: number }> {
      return eventually(async () => {
        const shown = await fundingOf(loanId);
        return shown.status === 'FULLY_FUNDED' ? shown.funding : undefined;
      }, 30_000);
    }

    /** The bank, investor by investor, against their FROZEN bids on every loan; its ledger and open freezes. */
    async function checkBank(lists: ListedBid[][]): Promise<void> {
      const frozenFenByInvestor = lists.map((list) =>
        sumFen(list.filter((bid) => bid.status === 'FROZEN').map((bid) => parseMoney(bid.amount))),
      );
      const atBank = await Promise.all(investors.map((token) => client.balances(token)));
      atBank.forEach((account, investor) => {
        const frozenFen = frozenFenByInvestor[investor];
        assert.deepEqual(
          account,
          { status: 'OPENED', frozen: formatMoney(frozenFen), balance: formatMoney(parseMoney(RECHARGE) - frozenFen) },
          `investor ${investor} at the bank`,
        );
      });
      const ledger = await fetch(`http://127.0.0.1:${platform.bank.port}/ledger/check`);
      const check = (await ledger.json()) as { ok: boolean; problems: string[]; openFreezeCount: number };
      assert.deepEqual(
        { ok: check.ok, problems: check.problems },
        { ok: true, problems: [] },
        'the bank ledger balances',
      );
      const frozenBids = lists.flat().filter((bid) => bid.status === 'FROZEN').length;
      assert.equal(
        check.openFreezeCount,
        frozenBids,
        'one open freeze at the bank per FROZEN bid, none for a refused or FAILED one',
      );
    }

    test('exactly the loan is frozen, the bank agrees investor by investor, every refusal is a clear error', async (t) => {
      const loanId = await openLoan();
      const attempts = await bidWave(loanId);
      const accepted = attempts.filter((attempt) => attempt.response.errors === undefined);
      const refused = attempts.filter((attempt) => attempt.response.errors !== undefined);
      assert.ok(
        sumFen(attempts.map((attempt) => attempt.amountFen)) > 2n * parseMoney(LOAN_AMOUNT),
        'the wave asks more than twice the loan',
      );
      for (const { response } of refused) {
        assert.equal(response.errors!.length, 1, JSON.stringify(response.errors));
        assert.ok(
          REFUSAL_CODES.includes(String(response.errors![0].extensions?.code)),
          `a refused bid says why: ${JSON.stringify(response.errors)}`,
        );
      }
      assert.ok(refused.length > 0 && accepted.length > 0, `${accepted.length} accepted, ${refused.length} refused`);
      const waiting = accepted.filter((attempt) => dataOf(attempt.response).placeBid.status === 'PENDING').length;
      t.diagnostic(`${accepted.length} bids accepted (${waiting} of them PENDING at first), ${refused.length} refused`);

      const lists = await settledBids();
      const frozenFen = sumFen(
        lists
          .flat()
          .filter((bid) => bid.status === 'FROZEN')
          .map((bid) => parseMoney(bid.amount)),
      );
      assert.equal(formatMoney(frozenFen), LOAN_AMOUNT, 'Σ FROZEN bids is the loan, to the fen');
      lists.forEach((list, investor) => {
        const acceptedIds = accepted
          .filter((attempt) => attempt.investor === investor)
          .map((attempt) => dataOf(attempt.response).placeBid.id)
          .sort();
        assert.deepEqual(
          list.map((bid) => bid.id).sort(),
          acceptedIds,
          `investor ${investor}: a refused bid left no bid row`,
        );
        assert.ok(
          list.every((bid) => bid.status === 'FROZEN' && bid.loan.id === loanId),
          `investor ${investor}: every accepted bid is frozen`,
        );
      });
      assert.deepEqual(await fullyFunded(loanId), {
        raised: LOAN_AMOUNT,
        remaining: '0.00',
        bidCount: accepted.length,
      });
      await checkBank(lists);
    });

    for (const victim of ['bids', 'depository'] as ServiceName[]) {
      test(`${victim} SIGKILLed in the middle of a wave: every bid settles once, the loan fills exactly, the bank agrees`, async (t) => {
        const loanId = await openLoan();
        let answers = 0;
        let restarted: Promise<unknown> | undefined;
        const attempts = await bidWave(loanId, () => {
          answers += 1;
          if (answers === ANSWERS_BEFORE_KILL) restarted = platform.restart(victim, { kill: true });
        });
        assert.ok(restarted !== undefined, `${victim} was killed after ${ANSWERS_BEFORE_KILL} answers`);
        await restarted;
        const accepted = attempts.filter((attempt) => attempt.response.errors === undefined);
        const failed = attempts.filter(
          (attempt) =>
            attempt.response.errors !== undefined &&
            !REFUSAL_CODES.includes(String(attempt.response.errors[0].extensions?.code)),
        );

        const lists = await settledBids();
        const onLoan = lists.map((list) => list.filter((bid) => bid.loan.id === loanId));
        const byId = new Map(onLoan.flat().map((bid) => [bid.id, bid]));
        for (const attempt of accepted) {
          const { id, status } = dataOf(attempt.response).placeBid;
          assert.equal(byId.get(id)?.status, 'FROZEN', `accepted bid ${id} (answered ${status}) ends FROZEN`);
        }
        // A bid whose caller saw the crash may exist: the settle job took it to FROZEN or FAILED.
        const unanswered = onLoan.flat().length - accepted.length;
        assert.ok(
          unanswered >= 0 && unanswered <= failed.length,
          `${unanswered} bids beyond the accepted ones, ${failed.length} calls cut by the crash`,
        );
        const frozen = onLoan.flat().filter((bid) => bid.status === 'FROZEN');
        const shown = await fundingOf(loanId);
        assert.equal(
          shown.funding.raised,
          formatMoney(sumFen(frozen.map((bid) => parseMoney(bid.amount)))),
          'raised is the FROZEN bids, to the fen: nothing counted twice or lost',
        );
        const answeredPending = accepted.filter(
          (attempt) => dataOf(attempt.response).placeBid.status === 'PENDING',
        ).length;
        assert.ok(answeredPending + failed.length > 0, 'the crash caught bids in flight');
        const cutAnswers = [
          ...new Set(
            failed.map(
              (attempt) => `${attempt.response.errors![0].extensions?.code}: ${attempt.response.errors![0].message}`,
            ),
          ),
        ];
        t.diagnostic(
          `${accepted.length} accepted (${answeredPending} answered PENDING), ${failed.length} cut by the crash (${unanswered} of them made a bid; told ${cutAnswers.join(' | ')}), raised ${shown.funding.raised}, loan ${shown.status}`,
        );

        // Top the loan up from investors in turn: it fills exactly.
        let remainingFen = parseMoney(shown.funding.remaining);
        for (let investor = 0; remainingFen > 0n; investor = (investor + 1) % INVESTORS) {
          const amountFen = remainingFen < TOP_UP_BID_MAX ? remainingFen : TOP_UP_BID_MAX;
          const response = await client.placeBid(loanId, formatMoney(amountFen), investors[investor]);
          assert.equal(response.errors, undefined, JSON.stringify(response.errors));
          remainingFen -= amountFen;
        }
        assert.equal((await fullyFunded(loanId)).raised, LOAN_AMOUNT);
        await checkBank(await settledBids());
      });
    }
  },
);
