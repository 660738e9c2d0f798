// Benchmark, not a test: auto-invest (自动投标) at scale through the gateway, every service its own process on
// MariaDB and RabbitMQ with the depository agent and the bank simulator in the path of every auto bid.
// BENCH_RULES investors (1,000 by default) each set an enabled rule of 1,000.00 a loan; then BENCH_LOANS
// loans of 500,000.00 (each its own borrower: a credit line holds one) open one after another. Measured:
// the time from the admin's approval of each loan until its auto share (AUTO_INVEST_SHARE_MAX, 0.5:
// 250,000.00, 250 bids) is raised, as auto bids per second; and the fairness: how many loans each rule
// served over all loans (min / max; with 1,000 rules and 250 bids a loan, no rule serves a second time
// before every rule served once). The baseline, measured in the same run: the hot-loan benchmark's
// manual rate (bids.bench.ts) — placeBid of 100.00 from BENCH_CONCURRENCY clients on one loan.
//
// Every loan checks itself: its auto bids sum to the share exactly, each `auto: true` and FROZEN.
//
// Run:  cd /work/main && source infra/services/env.sh && npm run bench:auto-invest
// Env:  BENCH_RULES (1000), BENCH_LOANS (5), BENCH_MANUAL_BIDS (500), BENCH_CONCURRENCY (16).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadConfig, mapBounded, type EnvReader } from '@wanxin/platform';
import { dataOf, eventually } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from '../harness/marketplace';
import { announceBenchmark, formatColumns, runBenchmark } from '../harness/measure';
import { startPlatform, type RunningPlatform } from '../harness/platform';

const LOAN_AMOUNT = '500000.00';
/** The auto share of the loan at AUTO_INVEST_SHARE_MAX 0.5. */
const AUTO_SHARE = '250000.00';
const AMOUNT_PER_LOAN = '1000.00';
/** Each investor's money at the bank: enough for every loan's bid and more. */
const RECHARGE = '20000.00';
const MANUAL_BID = '100.00';
const REGISTRATION_CONCURRENCY = 12;
/** Identity numbers of this benchmark's members start here (identityFor), clear of borrowers'. */
const INVESTOR_IDENTITY_BASE = 1_000;
const BIDS_PAGE =
  'query($l: ID!, $a: String) { loan(id: $l) { bids(first: 100, after: $a) { edges { node { auto status investor { id } } } pageInfo { hasNextPage endCursor } } } }';

interface BenchSettings {
  rules: number;
  loans: number;
  manualBids: number;
  concurrency: number;
}

function readBenchSettings(reader: EnvReader): BenchSettings {
  return {
    rules: reader.int('BENCH_RULES', 1_000, 10, 5_000),
    loans: reader.int('BENCH_LOANS', 5, 1, 20),
    manualBids: reader.int('BENCH_MANUAL_BIDS', 500, 100, 1_000),
    concurrency: reader.int('BENCH_CONCURRENCY', 16, 1, 64),
  };
}

interface BidShown {
  auto: boolean;
  status: string;
  investor: { id: string };
}

class AutoInvestBench {
  private readonly client: MarketplaceClient;
  private admin = '';
  private investors: string[] = [];
  private nextBorrower = 1;

  constructor(
    platform: RunningPlatform,
    private readonly settings: BenchSettings,
  ) {
    this.client = new MarketplaceClient(platform);
  }

  /** The investors, each with an account, money and an enabled rule; timed, since it is most of the run. */
  async prepare(): Promise<number> {
    const startedAtMs = performance.now();
    this.admin = await this.client.adminToken();
    const identities = Array.from({ length: this.settings.rules }, (_, index) =>
      identityFor(INVESTOR_IDENTITY_BASE + index),
    );
    const set = 'mutation($i: AutoInvestInput!) { setAutoInvest(input: $i) { enabled } }';
    let registered = 0;
    this.investors = await mapBounded(identities, REGISTRATION_CONCURRENCY, async ({ mobile, idNumber }) => {
      const token = await this.client.member(mobile, 'INVESTOR', idNumber, RECHARGE);
      dataOf(await this.client.gateway(set, { i: { amountPerLoan: AMOUNT_PER_LOAN } }, token));
      registered += 1;
      if (registered % 100 === 0) console.log(`registered ${registered} investors with rules`);
      return token;
    });
    return (performance.now() - startedAtMs) / 1000;
  }

  /** A new borrower's loan of `amount`, approved: timed from the approval. */
  private async approvedLoan(amount: string): Promise<{ loanId: string; approvedAtMs: number }> {
    const { mobile, idNumber } = identityFor(this.nextBorrower);
    this.nextBorrower += 1;
    const borrower = await this.client.member(mobile, 'BORROWER', idNumber);
    const loan = await this.client.publishLoan(borrower, amount);
    const approvedAtMs = performance.now();
    if ((await this.client.approveLoan(this.admin, loan.id)) !== 'FUNDRAISING') throw new Error('not opened');
    return { loanId: loan.id, approvedAtMs };
  }

  /** A loan opened for the rules: seconds until its auto share is raised, and the investors its auto bids serve. */
  async autoLoan(): Promise<{ seconds: number; served: string[] }> {
    const { loanId, approvedAtMs } = await this.approvedLoan(LOAN_AMOUNT);
    const funding = 'query($l: ID!) { loan(id: $l) { funding { raised } } }';
    await eventually(
      async () => {
        const raised = dataOf(await this.client.gateway(funding, { l: loanId })).loan.funding.raised;
        return raised === AUTO_SHARE ? true : undefined;
      },
      600_000,
      20,
    );
    const seconds = (performance.now() - approvedAtMs) / 1000;
    const bids = await this.bidsOf(loanId);
    if (!bids.every((bid) => bid.auto && bid.status !== 'FAILED'))
      throw new Error(`loan ${loanId}: a bid that is not a counted auto bid`);
    return { seconds, served: bids.map((bid) => bid.investor.id) };
  }

  private async bidsOf(loanId: string): Promise<BidShown[]> {
    const bids: BidShown[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const response = await this.client.gateway(BIDS_PAGE, { l: loanId, a: after });
      const {
        edges,
        pageInfo,
      }: { edges: { node: BidShown }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } =
        dataOf(response).loan.bids;
      bids.push(...edges.map((edge) => edge.node));
      if (!pageInfo.hasNextPage) return bids;
      after = pageInfo.endCursor;
    }
    throw new Error(`loan ${loanId} holds more bids than 20 pages`);
  }

  /** The baseline: manual bids of 100.00 from `concurrency` clients on one loan sized to take them all. */
  async manualRate(): Promise<number> {
    const count = this.settings.manualBids;
    // Twice the manual bids: the rules take half of it first, so exactly `count` bids fill the rest.
    const { loanId } = await this.approvedLoan(`${count * 2}00.00`);
    await eventually(async () => {
      const shown = dataOf(
        await this.client.gateway('query($l: ID!) { loan(id: $l) { funding { raised } } }', { l: loanId }),
      );
      return shown.loan.funding.raised === `${count}00.00` ? true : undefined;
    }, 600_000);
    const startedAtMs = performance.now();
    let accepted = 0;
    await mapBounded(
      Array.from({ length: count }, (_, index) => index),
      this.settings.concurrency,
      async (index) => {
        const response = await this.client.placeBid(loanId, MANUAL_BID, this.investors[index % this.investors.length]);
        if (response.errors === undefined) accepted += 1;
      },
    );
    const seconds = (performance.now() - startedAtMs) / 1000;
    if (accepted !== count) throw new Error(`${accepted} of ${count} manual bids accepted`);
    return accepted / seconds;
  }
}

async function main(): Promise<void> {
  const settings = loadConfig(process.env, readBenchSettings);
  await announceBenchmark();
  const platform = await startPlatform('mysql', true, { LOG_LEVEL: 'warn', BID_SETTLE_INTERVAL_MS: '1000' });
  try {
    const bench = new AutoInvestBench(platform, settings);
    const setupSeconds = await bench.prepare();
    console.log(
      `${settings.rules} investors, each ${RECHARGE} and a rule of ${AMOUNT_PER_LOAN} a loan (${setupSeconds.toFixed(0)} s to ` +
        `register); load average: ${os
          .loadavg()
          .map((load) => load.toFixed(2))
          .join(' ')}`,
    );
    const servedCount = new Map<string, number>();
    const rows: string[][] = [];
    const seconds: number[] = [];
    for (let loan = 1; loan <= settings.loans; loan += 1) {
      const result = await bench.autoLoan();
      seconds.push(result.seconds);
      for (const investorId of result.served) servedCount.set(investorId, (servedCount.get(investorId) ?? 0) + 1);
      const counts = [...servedCount.values()];
      const unserved = settings.rules - servedCount.size;
      rows.push([
        `loan ${loan}: ${LOAN_AMOUNT}`,
        String(result.served.length),
        result.seconds.toFixed(2),
        (result.served.length / result.seconds).toFixed(0),
        `${unserved > 0 ? 0 : Math.min(...counts)} / ${Math.max(...counts)}`,
      ]);
    }
    const manualPerSecond = await bench.manualRate();
    console.log(formatColumns(['run', 'auto bids', 's to share', 'auto bids/s', 'served min / max'], rows));
    const totalBids = rows.reduce((sum, row) => sum + Number(row[1]), 0);
    const autoPerSecond = totalBids / seconds.reduce((sum, each) => sum + each, 0);
    console.log(
      `\nbaseline (hot loan, manual placeBid of ${MANUAL_BID}, ${settings.concurrency} concurrent): ` +
        `${manualPerSecond.toFixed(0)} bids/s; auto-invest: ${autoPerSecond.toFixed(0)} bids/s over all loans ` +
        `(${(autoPerSecond / manualPerSecond).toFixed(2)}× the manual rate); first loan's share filled in ` +
        `${seconds[0].toFixed(2)} s`,
    );
  } finally {
    await platform.stop();
  }
}

runBenchmark(main);
