// Benchmark, not a test: live subscriptions through one gateway with every service its own process
// (MariaDB, RabbitMQ). N subscribers (1,000 and 10,000) watch loanFunding on one loan with the same
// document, variables and viewer, so the gateway should execute each event once and fan the result out.
// Each event is published to the events exchange exactly as the bids relay publishes `bids.bid.placed`
// (a fresh message id, the loan's real bid), one at a time; the next goes once every subscriber has the
// previous one (or after a timeout), so the figures are latency without queueing.
//
// Reported per run: event-to-delivery latency (publish to the broker → the result frame arriving at the
// subscriber's socket, same clock), p50 and p99 over every delivery; executions per event (from the
// gateway's /metrics); the gateway's own time per event executing and writing the result to every
// socket (the rest of the latency is the broker, the clients and the machine's scheduling); the
// gateway's memory per subscriber (heap and RSS growth once all are subscribed, divided by N). The baseline, measured in the same run, is one subscriber through the same pipeline: the
// ratio shows what the fan-out costs. Target: p99 ≤ 250 ms at 10,000 subscribers.
//
// Run:  cd /work/main && source infra/services/env.sh && npm run bench:subscriptions
// Env:  BENCH_SUBSCRIBERS (1000,10000), BENCH_EVENTS_PER_RUN (20).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import WebSocket from 'ws';
import { brokerNames } from '@wanxin/platform';
import { dataOf } from '@wanxin/platform/testing';
import { MarketplaceClient } from '../harness/marketplace';
import { startPlatform, type RunningPlatform } from '../harness/platform';
import { gatewayMetric } from '../harness/subscription-client';
import { sleep } from '../harness/timing';
import { runBenchmark } from '../harness/measure';

/** Subscribers whose connection is being opened at once. */
const CONNECTING_AT_ONCE = 200;
/** How long one event may take to reach every subscriber before the run moves on (and counts the misses). */
const EVENT_DELIVERY_TIMEOUT_MS = 30_000;
/** Pause between events, so each is measured without the previous one's tail. */
const EVENT_GAP_MS = 200;
const TARGET_P99_MS = 250;
const QUERY =
  'subscription($loanId: ID!) { loanFunding(loanId: $loanId) { loan { id title borrower { id } } funding { raised progress } lastBid { id amount investor { id } } } }';

interface RunFigures {
  subscribers: number;
  refused: number;
  events: number;
  deliveries: number;
  missed: number;
  p50Ms: number;
  p99Ms: number;
  executionsPerEvent: number;
  /** Inside the gateway, per event: the execution, and writing the result to every subscriber's socket. */
  executionMs: number;
  fanOutMs: number;
  heapBytesPerSubscriber: number;
  rssBytesPerSubscriber: number;
  connectSeconds: number;
}

function percentile(sortedMs: number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))];
}

/** A raw graphql-transport-ws subscriber: records when each result frame arrives, parses only the first. */
class BenchSubscriber {
  readonly arrivals: number[] = [];
  firstPayload: unknown;
  /** Why the gateway refused the subscription, if it did. */
  refusal: string | undefined;
  private socket: WebSocket | undefined;

  open(url: string, token: string, loanId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      this.socket = socket;
      socket.once('error', reject);
      socket.once('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
      );
      socket.on('message', (data: Buffer) => {
        const arrivedAt = performance.now();
        if (this.arrivals.length > 0 || this.firstPayload !== undefined) {
          this.arrivals.push(arrivedAt);
          return;
        }
        const message = JSON.parse(data.toString()) as { type: string; payload?: unknown };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY, variables: { loanId } } }));
          resolve();
        } else if (message.type === 'next') {
          this.firstPayload = message.payload;
          this.arrivals.push(arrivedAt);
        } else if (message.type === 'error') {
          this.refusal = JSON.stringify(message.payload);
        }
      });
    });
  }

  close(): void {
    this.socket?.terminate();
  }
}

async function openSubscribers(count: number, url: string, token: string, loanId: string): Promise<BenchSubscriber[]> {
  const subscribers = Array.from({ length: count }, () => new BenchSubscriber());
  for (let start = 0; start < count; start += CONNECTING_AT_ONCE) {
    await Promise.all(
      subscribers.slice(start, start + CONNECTING_AT_ONCE).map((subscriber) => subscriber.open(url, token, loanId)),
    );
  }
  return subscribers;
}

/** Seconds the gateway spent executing and fanning out, summed over every event so far. */
async function gatewayTimings(gatewayUrl: string): Promise<{ executionSeconds: number; fanOutSeconds: number }> {
  return {
    executionSeconds: await gatewayMetric(gatewayUrl, 'wanxin_subscription_execution_seconds_sum'),
    fanOutSeconds: await gatewayMetric(gatewayUrl, 'wanxin_subscription_fan_out_seconds_sum'),
  };
}

async function memoryOf(gatewayUrl: string): Promise<{ heap: number; rss: number }> {
  return {
    heap: await gatewayMetric(gatewayUrl, 'nodejs_heap_size_used_bytes'),
    rss: await gatewayMetric(gatewayUrl, 'process_resident_memory_bytes'),
  };
}

/** Waits, bounded, until `condition` holds; false on timeout. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(5);
  }
  return false;
}

interface Fixture {
  platform: RunningPlatform;
  investor: string;
  loanId: string;
  bidId: string;
  investorId: string;
  publish(payload: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

/** A loan open for bids with one real accepted bid, and a publisher on the platform's events exchange. */
async function prepareFixture(): Promise<Fixture> {
  const platform = await startPlatform('mysql', true, { SUBSCRIPTION_CONNECTIONS_MAX: '20000' });
  const client = new MarketplaceClient(platform);
  const admin = await client.adminToken();
  const borrower = await client.member('13800000001', 'BORROWER', '110105198912310028');
  const investor = await client.member('13800000002', 'INVESTOR', '110101199003071233', '5000.00');
  const { id: loanId } = await client.publishLoan(borrower, '5000.00');
  await client.approveLoan(admin, loanId);
  const bidId = dataOf(await client.firstBid(loanId, '100.00', investor)).placeBid.id as string;
  const investorId = dataOf(await client.gateway('{ me { id } }', {}, investor)).me.id as string;
  const connection = await amqp.connect(platform.environment.env.AMQP_URL);
  const channel = await connection.createConfirmChannel();
  const exchange = brokerNames(platform.environment.env.EVENTS_NAMESPACE).eventsExchange;
  return {
    platform,
    investor,
    loanId,
    bidId,
    investorId,
    publish: async (payload) => {
      const id = randomUUID();
      const envelope = {
        id,
        type: 'bids.bid.placed',
        version: 1,
        occurredAt: new Date().toISOString(),
        aggregateId: loanId,
        payload,
      };
      const publishedAt = performance.now();
      channel.publish(exchange, 'bids.bid.placed', Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        messageId: id,
        contentType: 'application/json',
      });
      await channel.waitForConfirms();
      return publishedAt;
    },
    close: async () => {
      await connection.close();
      await platform.stop();
    },
  };
}

async function run(fixture: Fixture, subscriberCount: number, events: number): Promise<RunFigures> {
  const gatewayUrl = fixture.platform.gateway.url;
  const wsUrl = gatewayUrl.replace(/^http/, 'ws');
  const before = await memoryOf(gatewayUrl);
  const subscribedBaseline = await gatewayMetric(gatewayUrl, 'wanxin_subscription_subscribers');
  const connectStarted = performance.now();
  const opened = await openSubscribers(subscriberCount, wsUrl, fixture.investor, fixture.loanId);
  await until(
    async () =>
      opened.filter((subscriber) => subscriber.refusal !== undefined).length +
        (await gatewayMetric(gatewayUrl, 'wanxin_subscription_subscribers')) >=
      subscribedBaseline + subscriberCount,
    120_000,
  );
  const subscribers = opened.filter((subscriber) => subscriber.refusal === undefined);
  const refused = opened.filter((subscriber) => subscriber.refusal !== undefined);
  if (refused.length > 0)
    console.log(`${refused.length} of ${subscriberCount} subscriptions refused, e.g. ${refused[0].refusal}`);
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const after = await memoryOf(gatewayUrl);
  const timingsBefore = await gatewayTimings(gatewayUrl);
  const eventsBefore = await gatewayMetric(gatewayUrl, 'wanxin_subscription_events_total');
  const executionsBefore = await gatewayMetric(gatewayUrl, 'wanxin_subscription_executions_total');
  const latenciesMs: number[] = [];
  let missed = 0;
  const payload = {
    bidId: fixture.bidId,
    loanId: fixture.loanId,
    investorId: fixture.investorId,
    amountFen: '10000',
    raisedFen: '10000',
    bidCount: 1,
    placedAt: new Date().toISOString(),
  };
  for (let index = 0; index < events; index += 1) {
    const publishedAt = await fixture.publish(payload);
    await until(() => subscribers.every((subscriber) => subscriber.arrivals.length > index), EVENT_DELIVERY_TIMEOUT_MS);
    for (const subscriber of subscribers) {
      const arrivedAt = subscriber.arrivals[index];
      if (arrivedAt === undefined) missed += 1;
      else latenciesMs.push(arrivedAt - publishedAt);
    }
    await sleep(EVENT_GAP_MS);
  }
  const executions = (await gatewayMetric(gatewayUrl, 'wanxin_subscription_executions_total')) - executionsBefore;
  const heard = (await gatewayMetric(gatewayUrl, 'wanxin_subscription_events_total')) - eventsBefore;
  const timingsAfter = await gatewayTimings(gatewayUrl);
  const sample = subscribers[0].firstPayload as { data?: { loanFunding?: { lastBid?: { id: string } } } };
  if (sample?.data?.loanFunding?.lastBid?.id !== fixture.bidId)
    throw new Error(`unexpected payload: ${JSON.stringify(sample)}`);
  for (const subscriber of opened) subscriber.close();
  await until(
    async () => (await gatewayMetric(gatewayUrl, 'wanxin_subscription_subscribers')) <= subscribedBaseline,
    60_000,
  );
  latenciesMs.sort((a, b) => a - b);
  return {
    subscribers: subscriberCount,
    refused: refused.length,
    events,
    deliveries: latenciesMs.length,
    missed,
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
    executionsPerEvent: heard === 0 ? Number.NaN : executions / heard,
    executionMs: ((timingsAfter.executionSeconds - timingsBefore.executionSeconds) / Math.max(1, executions)) * 1000,
    fanOutMs: ((timingsAfter.fanOutSeconds - timingsBefore.fanOutSeconds) / Math.max(1, executions)) * 1000,
    heapBytesPerSubscriber: (after.heap - before.heap) / subscriberCount,
    rssBytesPerSubscriber: (after.rss - before.rss) / subscriberCount,
    connectSeconds,
  };
}

function formatTable(rows: RunFigures[], baseline: RunFigures): string {
  const header = [
    'subscribers',
    'refused',
    'events',
    'deliveries',
    'missed',
    'p50 ms',
    'p99 ms',
    'p99 vs 1',
    'executions/event',
    'exec ms',
    'fan-out ms',
    'heap B/sub',
    'RSS B/sub',
    'subscribe s',
  ];
  const lines = rows.map((row) => [
    String(row.subscribers),
    String(row.refused),
    String(row.events),
    String(row.deliveries),
    String(row.missed),
    row.p50Ms.toFixed(1),
    row.p99Ms.toFixed(1),
    `${(row.p99Ms / baseline.p99Ms).toFixed(2)}×`,
    row.executionsPerEvent.toFixed(2),
    row.executionMs.toFixed(1),
    row.fanOutMs.toFixed(1),
    row.subscribers === 1 ? '—' : row.heapBytesPerSubscriber.toFixed(0),
    row.subscribers === 1 ? '—' : row.rssBytesPerSubscriber.toFixed(0),
    row.connectSeconds.toFixed(1),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  return [header, ...lines]
    .map((line) => line.map((cell, column) => cell.padStart(widths[column])).join('  '))
    .join('\n');
}

async function main(): Promise<void> {
  const counts = (process.env.BENCH_SUBSCRIBERS ?? '1000,10000').split(',').map(Number);
  const events = Number(process.env.BENCH_EVENTS_PER_RUN ?? 20);
  if (
    counts.some((count) => !Number.isInteger(count) || count < 1 || count > 15_000) ||
    !Number.isInteger(events) ||
    events < 1 ||
    events > 1000
  ) {
    throw new Error('BENCH_SUBSCRIBERS: integers 1–15000; BENCH_EVENTS_PER_RUN: 1–1000');
  }
  const fixture = await prepareFixture();
  try {
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
    );
    console.log(
      `load average before: ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
    );
    const baseline = await run(fixture, 1, events);
    const rows = [baseline];
    for (const count of counts) {
      rows.push(await run(fixture, count, events));
      console.log(`measured: ${count} subscribers`);
    }
    console.log(
      `load average after: ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}\n`,
    );
    console.log(formatTable(rows, baseline));
    const largest = rows[rows.length - 1];
    console.log(
      `\ntarget p99 ≤ ${TARGET_P99_MS} ms at ${largest.subscribers}: ${largest.p99Ms <= TARGET_P99_MS ? 'met' : 'NOT met'} (${largest.p99Ms.toFixed(1)} ms); one execution per event: ${rows.every((row) => row.executionsPerEvent === 1) ? 'yes' : 'NO'}`,
    );
  } finally {
    await fixture.close();
  }
}

runBenchmark(main);
