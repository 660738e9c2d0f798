// Benchmark, not a test: the contract's marketplace page (20 fundraising loans × 10 bids, each with its
// borrower, funding and every bid's investor, users' masked fields included) through Wanxin's gateway and
// through stock Apollo Gateway (@apollo/gateway + @apollo/server standalone, bench/stock-gateway.ts) over
// the same subgraph processes, MariaDB and RabbitMQ; each gateway its own process. Every request is signed by
// the next of BENCH_READERS registered investors (distinct users: nothing is shared by token). Measured at
// 1 and 32 concurrent clients, stock first: p50, p99, pages/s, the ratio Wanxin / stock, and CPU ms per page
// of each process. Both gateways' answers are checked identical first; the read cache's hits are printed.
// Target (issue Step 14): Wanxin ≥ 5× stock at both concurrencies.
//
// Run:  cd /work/main && source infra/services/env.sh && npm run bench:page
// Env:  BENCH_READERS (400), BENCH_PAGES (400 requests per figure at concurrency 1, 8× that at 32).
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig, mapBounded, SUBGRAPH_NAMES, type EnvReader } from '@wanxin/platform';
import { dataOf, freePort, postGraphQL } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from '../harness/marketplace';
import { MARKETPLACE_PAGE } from '../harness/marketplace-page';
import { announceBenchmark, formatColumns, percentile, processCpuMs, runBenchmark } from '../harness/measure';
import { startPlatform, type RunningPlatform } from '../harness/platform';
import { spawnService, type ServiceProcess } from '../harness/processes';

const LOANS = 20;
const BORROWERS = 5;
const BIDS_PER_LOAN = 10;
const LOAN_AMOUNT = '5000.00';
const BID_AMOUNT = '100.00';
const CONCURRENCIES = [1, 32];
const WARM_UP_PAGES = 100;
const REGISTRATION_CONCURRENCY = 8;
const READER_PASSWORD = 'Reader-pass-1';
const STOCK_READY_TRIES = 200;

interface BenchSettings {
  readers: number;
  pages: number;
}

function readBenchSettings(reader: EnvReader): BenchSettings {
  return { readers: reader.int('BENCH_READERS', 400, 10, 10_000), pages: reader.int('BENCH_PAGES', 400, 50, 100_000) };
}

/** 20 fundraising loans, each with 10 bids of 10 investors, borrowed by 5 borrowers. */
async function buildPage(client: MarketplaceClient): Promise<void> {
  const admin = await client.adminToken();
  const member = (index: number, role: 'BORROWER' | 'INVESTOR', recharge?: string) => {
    const { mobile, idNumber } = identityFor(index);
    return client.member(mobile, role, idNumber, recharge);
  };
  const borrowers = await mapBounded([...Array(BORROWERS).keys()], 4, (index) => member(index, 'BORROWER'));
  const investors = await mapBounded([...Array(BIDS_PER_LOAN).keys()], 4, (index) =>
    member(BORROWERS + index, 'INVESTOR', '10000.00'),
  );
  await mapBounded(borrowers, BORROWERS, async (borrower) => {
    for (let count = 0; count < LOANS / BORROWERS; count += 1) {
      const loan = await client.publishLoan(borrower, LOAN_AMOUNT);
      assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
      await client.frozenBid(loan.id, BID_AMOUNT, investors[0]);
      for (const investor of investors.slice(1)) dataOf(await client.placeBid(loan.id, BID_AMOUNT, investor));
    }
  });
}

/** Investors who only read: registered, signed in, no account at the bank. */
async function registerReaders(client: MarketplaceClient, count: number): Promise<string[]> {
  const register = 'mutation($i: RegisterInput!) { register(input: $i) { token } }';
  return mapBounded([...Array(count).keys()], REGISTRATION_CONCURRENCY, async (index) => {
    const input = { mobile: `1360000${String(index).padStart(4, '0')}`, password: READER_PASSWORD, role: 'INVESTOR' };
    return dataOf(await client.gateway(register, { i: input })).register.token as string;
  });
}

async function startStockGateway(platform: RunningPlatform): Promise<ServiceProcess> {
  const port = await freePort();
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, platform.subgraphs[name].url]),
  );
  const supergraphPath = path.resolve(__dirname, '../../../schema/supergraph.graphql');
  const stock = spawnService('stock-gateway', 'test/dist/bench/stock-gateway.js', port, {
    ...urls,
    SUPERGRAPH_PATH: supergraphPath,
    NODE_ENV: 'production',
  });
  for (let attempt = 0; attempt < STOCK_READY_TRIES; attempt += 1) {
    const answered = await postGraphQL(stock.url, '{ __typename }', {}).then(
      (response) => response.data !== undefined,
      () => false,
    );
    if (answered) return stock;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the stock gateway did not answer:\n${stock.output}`);
}

interface Figures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerPage: Map<string, number>;
}

/** `count` pages at `concurrency`, each signed by the next reader; every answer must be the full page. */
async function measure(
  url: string,
  readers: readonly string[],
  concurrency: number,
  count: number,
  processes: Map<string, number | undefined>,
): Promise<Figures> {
  let next = 0;
  const read = async () => {
    const token = readers[next % readers.length];
    next += 1;
    const data = dataOf(await postGraphQL(url, MARKETPLACE_PAGE, {}, token));
    if (data.loans.edges.length !== LOANS) throw new Error(`a page of ${data.loans.edges.length} loans`);
  };
  for (let index = 0; index < WARM_UP_PAGES; index += 1) await read();
  const cpuBefore = new Map([...processes].map(([name, pid]) => [name, processCpuMs(pid) ?? 0]));
  const latenciesMs: number[] = [];
  const startedAtMs = performance.now();
  await mapBounded([...Array(count).keys()], concurrency, async () => {
    const sentAtMs = performance.now();
    await read();
    latenciesMs.push(performance.now() - sentAtMs);
  });
  const seconds = (performance.now() - startedAtMs) / 1000;
  latenciesMs.sort((a, b) => a - b);
  const cpuMsPerPage = new Map(
    [...processes].map(([name, pid]) => [name, ((processCpuMs(pid) ?? 0) - cpuBefore.get(name)!) / count]),
  );
  return {
    perSecond: count / seconds,
    p50Ms: percentile(latenciesMs, 0.5)!,
    p99Ms: percentile(latenciesMs, 0.99)!,
    cpuMsPerPage,
  };
}

async function main(): Promise<void> {
  const settings = loadConfig(process.env, readBenchSettings);
  await announceBenchmark();
  const platform = await startPlatform('mysql', true, { LOG_LEVEL: 'warn' });
  let stock: ServiceProcess | undefined;
  try {
    const client = new MarketplaceClient(platform);
    await buildPage(client);
    const readers = await registerReaders(client, settings.readers);
    stock = await startStockGateway(platform);
    const wanxinPage = dataOf(await postGraphQL(platform.gateway.url, MARKETPLACE_PAGE, {}, readers[0]));
    const stockPage = dataOf(await postGraphQL(stock.url, MARKETPLACE_PAGE, {}, readers[0]));
    assert.deepEqual(wanxinPage, stockPage, 'both gateways answer the same page');
    const pageBytes = Buffer.byteLength(JSON.stringify({ data: wanxinPage }));
    console.log(
      `page: ${LOANS} loans × ${BIDS_PER_LOAN} bids, ${(pageBytes / 1024).toFixed(1)} KB, identical from both ` +
        `gateways; ${readers.length} distinct readers; load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    const subgraphPids = SUBGRAPH_NAMES.filter((name) => name !== 'depository' && name !== 'repayments').map(
      (name): [string, number | undefined] => [name, platform.subgraphs[name].pid],
    );
    const rows: string[][] = [];
    const ratios: string[] = [];
    for (const concurrency of CONCURRENCIES) {
      const count = concurrency === 1 ? settings.pages : 8 * settings.pages;
      const gateways: [string, ServiceProcess][] = [
        ['stock Apollo Gateway', stock],
        ['Wanxin gateway', platform.gateway],
      ];
      const figures: Figures[] = [];
      for (const [name, gateway] of gateways) {
        const processes = new Map<string, number | undefined>([['gateway', gateway.pid], ...subgraphPids]);
        const result = await measure(gateway.url, readers, concurrency, count, processes);
        figures.push(result);
        rows.push([
          `${name}, ${concurrency} client${concurrency === 1 ? '' : 's'}`,
          result.perSecond.toFixed(0),
          result.p50Ms.toFixed(1),
          result.p99Ms.toFixed(1),
          ...['gateway', ...subgraphPids.map(([subgraph]) => subgraph)].map((process) =>
            result.cpuMsPerPage.get(process)!.toFixed(2),
          ),
        ]);
      }
      ratios.push(
        `${concurrency} client${concurrency === 1 ? '' : 's'}: ${(figures[1].perSecond / figures[0].perSecond).toFixed(1)}× ` +
          `pages/s, p99 ${(figures[0].p99Ms / figures[1].p99Ms).toFixed(1)}× lower`,
      );
    }
    console.log(
      formatColumns(
        ['gateway', 'pages/s', 'p50 ms', 'p99 ms', 'cpu ms/page: gateway', ...subgraphPids.map(([name]) => name)],
        rows,
      ),
    );
    console.log(`\nWanxin / stock Apollo Gateway: ${ratios.join('; ')} (target ≥ 5×)`);
    const metrics = await (await fetch(new URL('/metrics', platform.gateway.url))).text();
    const lookups = metrics.split('\n').filter((line) => line.startsWith('wanxin_gateway_read_cache_lookups_total{'));
    console.log(`Wanxin gateway's read cache:\n  ${lookups.join('\n  ')}`);
  } finally {
    await stock?.stop();
    await platform.stop();
  }
}

runBenchmark(main);
