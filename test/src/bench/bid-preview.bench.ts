// Benchmark, not a test: what `bidPreview.expectedInterest` costs, through the gateway with every service its
// own process on MariaDB and RabbitMQ. A 36-month loan of 100,000.00 holds 999 bids of 100.00; the preview of
// the last 100.00 splits the loan's schedule over all 1,000 bids (bids reads every counted bid). The same
// preview is asked for without `expectedInterest` (a field resolver: nothing read, nothing split) and with
// it, one request at a time, and beside them the trivial authenticated query `me { id }` as the baseline
// measured in the same run, so the figures read as ratios. Printed per run: requests/s, p50/p99, CPU ms per
// request of the gateway and bids, and the SQL statements bids sent per request.
//
// Run:  cd /work/main && source infra/services/env.sh && npm run bench:bid-preview
// Env:  BENCH_PREVIEWS (200 requests per run), BENCH_INVESTORS (20).
import { performance } from 'node:perf_hooks';
import { formatMoney, loadConfig, mapBounded, parseMoney, type EnvReader } from '@wanxin/platform';
import { dataOf, eventually } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from '../harness/marketplace';
import { announceBenchmark, formatColumns, percentile, processCpuMs, runBenchmark } from '../harness/measure';
import { requestQueriesDuring } from '../harness/metrics';
import { startPlatform, type RunningPlatform } from '../harness/platform';

const TERM_MONTHS = 36;
const BID_AMOUNT = '100.00';
/** Bids on the loan before the previewed one: with it, the most bids a loan takes (LOAN_BIDS_MAX). */
const BIDS_BEFORE = 999;
const BID_CONCURRENCY = 16;
const REGISTRATION_CONCURRENCY = 10;
const PREVIEW_FIELDS = 'remaining minBid bidsLeft';
const PREVIEW = (fields: string) => `query($l: ID!, $a: Money) { bidPreview(loanId: $l, amount: $a) { ${fields} } }`;

interface BenchSettings {
  previews: number;
  investors: number;
}

function readBenchSettings(reader: EnvReader): BenchSettings {
  return {
    previews: reader.int('BENCH_PREVIEWS', 200, 10, 10_000),
    investors: reader.int('BENCH_INVESTORS', 20, 1, 1_000),
  };
}

interface Figures {
  name: string;
  perSecond: number;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  cpuMsPerRequest: { gateway: number | undefined; bids: number | undefined };
  bidsStatementsPerRequest: number;
}

/** `count` requests one after another; `send` throws on a wrong answer. */
async function measure(
  platform: RunningPlatform,
  name: string,
  count: number,
  send: () => Promise<void>,
): Promise<Figures> {
  const latenciesMs: number[] = [];
  const cpu = () => ({ gateway: processCpuMs(platform.gateway.pid), bids: processCpuMs(platform.subgraphs.bids.pid) });
  const cpuBefore = cpu();
  let seconds = 0;
  const statements = await requestQueriesDuring(platform, async () => {
    const startedAtMs = performance.now();
    for (let index = 0; index < count; index += 1) {
      const sentAtMs = performance.now();
      await send();
      latenciesMs.push(performance.now() - sentAtMs);
    }
    seconds = (performance.now() - startedAtMs) / 1000;
  });
  const cpuAfter = cpu();
  const perRequest = (before: number | undefined, after: number | undefined) =>
    before === undefined || after === undefined ? undefined : (after - before) / count;
  latenciesMs.sort((a, b) => a - b);
  return {
    name,
    perSecond: count / seconds,
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
    cpuMsPerRequest: {
      gateway: perRequest(cpuBefore.gateway, cpuAfter.gateway),
      bids: perRequest(cpuBefore.bids, cpuAfter.bids),
    },
    bidsStatementsPerRequest: statements.bids / count,
  };
}

/** A 36-month loan holding BIDS_BEFORE bids of BID_AMOUNT, with room for one more; and an investor's token. */
async function prepareLoan(
  client: MarketplaceClient,
  settings: BenchSettings,
): Promise<{ loanId: string; investor: string }> {
  const admin = await client.adminToken();
  const borrowerIdentity = identityFor(0);
  const borrower = await client.member(borrowerIdentity.mobile, 'BORROWER', borrowerIdentity.idNumber);
  const bidsPerInvestor = Math.ceil(BIDS_BEFORE / settings.investors);
  const recharge = formatMoney(BigInt(bidsPerInvestor) * parseMoney(BID_AMOUNT));
  const identities = Array.from({ length: settings.investors }, (_, index) => identityFor(index + 1));
  const investors = await mapBounded(identities, REGISTRATION_CONCURRENCY, ({ mobile, idNumber }) =>
    client.member(mobile, 'INVESTOR', idNumber, recharge),
  );
  const loanFen = BigInt(BIDS_BEFORE + 1) * parseMoney(BID_AMOUNT);
  const loan = await client.publishLoan(borrower, formatMoney(loanFen), TERM_MONTHS);
  if ((await client.approveLoan(admin, loan.id)) !== 'FUNDRAISING') throw new Error(`loan ${loan.id} was not opened`);
  await eventually(async () => {
    const preview = await client.gateway(PREVIEW('remaining'), { l: loan.id }, investors[0]);
    return preview.errors === undefined ? true : undefined;
  });
  await mapBounded(
    Array.from({ length: BIDS_BEFORE }, (_, index) => index),
    BID_CONCURRENCY,
    async (index) => {
      const response = await client.placeBid(loan.id, BID_AMOUNT, investors[index % investors.length]);
      if (response.errors !== undefined) throw new Error(`bid ${index}: ${JSON.stringify(response.errors)}`);
    },
  );
  // Bids the bank did not answer in time count as PENDING: the preview counts them either way.
  const remaining = dataOf(
    await client.gateway(PREVIEW('remaining bidsLeft'), { l: loan.id }, investors[0]),
  ).bidPreview;
  if (remaining.remaining !== BID_AMOUNT || remaining.bidsLeft !== 1)
    throw new Error(`the loan holds the wrong bids: ${JSON.stringify(remaining)}`);
  return { loanId: loan.id, investor: investors[0] };
}

function formatTable(rows: Figures[], baseline: Figures): string {
  const header = ['run', 'requests/s', 'vs baseline', 'p50 ms', 'p99 ms', 'gateway cpu ms', 'bids cpu ms', 'bids SQL'];
  const cells = rows.map((row) => [
    row.name,
    row.perSecond.toFixed(0),
    `${(row.perSecond / baseline.perSecond).toFixed(2)}×`,
    row.p50Ms?.toFixed(1) ?? '-',
    row.p99Ms?.toFixed(1) ?? '-',
    row.cpuMsPerRequest.gateway?.toFixed(2) ?? '?',
    row.cpuMsPerRequest.bids?.toFixed(2) ?? '?',
    row.bidsStatementsPerRequest.toFixed(1),
  ]);
  return formatColumns(header, cells);
}

async function main(): Promise<void> {
  const settings = loadConfig(process.env, readBenchSettings);
  await announceBenchmark();
  const platform = await startPlatform('mysql', true, { LOG_LEVEL: 'warn', BID_SETTLE_INTERVAL_MS: '1000' });
  try {
    const client = new MarketplaceClient(platform);
    const { loanId, investor } = await prepareLoan(client, settings);
    console.log(`a ${TERM_MONTHS}-month loan with ${BIDS_BEFORE} bids of ${BID_AMOUNT}; previewing the last one\n`);
    const variables = { l: loanId, a: BID_AMOUNT };
    const preview = (fields: string) => async () => {
      const shown = dataOf(await client.gateway(PREVIEW(fields), variables, investor)).bidPreview;
      if (shown.remaining !== BID_AMOUNT) throw new Error(`unexpected preview ${JSON.stringify(shown)}`);
      if (fields.includes('expectedInterest') && shown.expectedInterest === null)
        throw new Error('expectedInterest is null for a bid the loan takes');
    };
    const baseline = await measure(platform, 'baseline: me { id }', settings.previews, async () => {
      if (dataOf(await client.gateway('{ me { id } }', {}, investor)).me.id === undefined) throw new Error('no me');
    });
    const without = await measure(
      platform,
      'bidPreview without expectedInterest',
      settings.previews,
      preview(PREVIEW_FIELDS),
    );
    const withInterest = await measure(
      platform,
      'bidPreview with expectedInterest',
      settings.previews,
      preview(`${PREVIEW_FIELDS} expectedInterest`),
    );
    console.log(formatTable([baseline, without, withInterest], baseline));
    console.log(
      `\nwithout expectedInterest: ${(without.perSecond / withInterest.perSecond).toFixed(1)}× ` +
        `the requests/s of the preview with it; p50 ${without.p50Ms?.toFixed(1)} ms ` +
        `against ${withInterest.p50Ms?.toFixed(1)} ms`,
    );
  } finally {
    await platform.stop();
  }
}

runBenchmark(main);
