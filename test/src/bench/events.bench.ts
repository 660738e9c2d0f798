// Benchmark, not a test: how many events per second go end to end through outbox → RabbitMQ → inbox on
// this machine with durable settings (MariaDB committing every transaction to disk, quorum queue,
// persistent messages, publisher confirms), and the publish-to-handled latency (the envelope's
// occurredAt, taken inside the business transaction, to the commit of the consumer's effect + inbox
// row), p50 and p99. The producer and the consumer are the event probe, each its own process (the
// production shape); the baseline, measured in the same run on the same broker, is raw amqplib in this
// process: the same bodies published (batches awaited on confirms, like the relay) to a topic exchange
// and a quorum queue, consumed and acked without any database. Target: at least 1,000 events/s.
//
// Runs: the baseline flat out; the pipeline flat out with one event per business transaction, first with
// every business transaction its own database transaction and every delivery its own consumer transaction
// (producer alone, consumer batch 1: as before batching), then with the platform's consumer batches, then
// also with the producer's concurrent business transactions grouped (GroupedTransactions: the headline
// figure; a consumer batch's handlers share one unit of work), the same with each handler its own unit of
// work, with 4 writers instead of 16, over TCP loopback instead of MariaDB's Unix socket (every other run
// uses the socket when MariaDB has one on this machine), with the relay's passes back to back (not
// gathered), and with ten events per transaction (the consumer's ceiling once the producer's transactions are amortized); the consumer alone
// draining a backlog, batch 1 and batched (what batching does where deliveries queue up); then baseline
// and pipeline paced at an offered rate the pipeline sustains, for latency without queueing. Every
// pipeline run checks its own result (every event handled once, none lost).
//
// Run:  cd /work/main && source infra/services/env.sh && node test/dist/bench/events.bench.js
// Env:  BENCH_EVENTS (10000 per flat-out run), BENCH_OFFERED_RATE_PER_SECOND (200, for the paced runs of
//       10 s each), BENCH_WRITERS (16 concurrent business-transaction writers in the producer, as a subgraph
//       taking 1,000 requests/s holds about that many open; one run always has 4),
//       BENCH_PROFILE_DIR (unset; when set, every probe process writes a V8 CPU profile and its SQL
//       statement timings under <dir>/<run>-<role>: `node test/dist/bench/cpu-profile-summary.js <dir>` and
//       `node test/dist/bench/sql-trace-summary.js <dir> <from µs> <to µs>` then say where the time went).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp, { type ConsumeMessage } from 'amqplib';
import mysql from 'mysql2/promise';
import {
  DEFAULT_CONSUMER_BATCH_MAX,
  DEFAULT_GROUPED_TRANSACTION_LIMITS,
  DEFAULT_RELAY_OPTIONS,
  loadConfig,
  type EnvReader,
} from '@wanxin/platform';
import { createTestEnvironment, type TestEnvironment } from '@wanxin/platform/testing';
import { deleteProbeTopology, ProbeProcess, readProbeLedger } from '../harness/event-probe';
import { PROBE_EVENT } from '../harness/event-probe-main';
import {
  describeMachineAndDatabase,
  machineBusyFraction,
  percentile,
  readMachineCpu,
  runBenchmark,
} from '../harness/measure';
import { sleep, withinMs } from '../harness/timing';

/** MariaDB's Unix socket on this machine, found once at the start (localDatabaseSocket). */
let databaseSocket: string | undefined;

/** A run that has not finished in this time is reported as failed, not waited for. */
const RUN_TIMEOUT_MS = 600_000;
/** The relay's default batch; the baseline awaits confirms per batch of the same size. */
const CONFIRM_BATCH_SIZE = 200;
const BASELINE_PREFETCH = 32;
const TARGET_EVENTS_PER_SECOND = 1_000;
/** The producer's concurrent writers in the run that shows what few of them do. */
const FEW_WRITERS = 4;

interface BenchSettings {
  events: number;
  offeredRatePerSecond: number;
  pacedSeconds: number;
  writers: number;
}

function readBenchSettings(reader: EnvReader): BenchSettings {
  return {
    events: reader.int('BENCH_EVENTS', 10_000, 100, 1_000_000),
    offeredRatePerSecond: reader.int('BENCH_OFFERED_RATE_PER_SECOND', 200, 1, 100_000),
    pacedSeconds: reader.int('BENCH_PACED_SECONDS', 10, 1, 600),
    writers: reader.int('BENCH_WRITERS', 16, 1, 64),
  };
}

/** One measured run: throughput over the whole run and latency percentiles over every event. */
interface Figures {
  name: string;
  events: number;
  eventsPerSecond: number;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  note: string;
}

/** A body of the same shape and size as the probe's envelopes. */
function envelopeBody(sequence: number): Buffer {
  const now = new Date();
  return Buffer.from(
    JSON.stringify({
      id: `00000000-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
      type: PROBE_EVENT.type,
      version: 1,
      occurredAt: now.toISOString(),
      aggregateId: `single-${sequence}`,
      payload: { sequence, poison: false },
    }),
  );
}

/** Raw amqplib: publish `events` bodies (paced at `ratePerSecond`, 0 = flat out) and consume them, no database. */
async function runAmqpBaseline(
  name: string,
  url: string,
  namespace: string,
  events: number,
  ratePerSecond: number,
): Promise<{ figures: Figures }> {
  const exchange = `${namespace}.baseline`;
  const queue = `${namespace}.baseline`;
  const publisherConnection = await amqp.connect(url);
  const consumerConnection = await amqp.connect(url);
  try {
    const consumer = await consumerConnection.createChannel();
    await consumer.assertExchange(exchange, 'topic', { durable: true });
    await consumer.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await consumer.bindQueue(queue, exchange, PROBE_EVENT.type);
    await consumer.prefetch(BASELINE_PREFETCH);
    const latenciesMs: number[] = [];
    let lastConsumedAtMs = 0;
    const allConsumed = new Promise<void>((resolve) => {
      void consumer.consume(queue, (message: ConsumeMessage | null) => {
        if (message === null) return;
        lastConsumedAtMs = Date.now();
        latenciesMs.push(lastConsumedAtMs - Number(message.properties.headers?.['x-sent-at-ms']));
        consumer.ack(message);
        if (latenciesMs.length === events) resolve();
      });
    });
    const publisher = await publisherConnection.createConfirmChannel();
    const startedAtMs = Date.now();
    const intervalMs = ratePerSecond === 0 ? 0 : 1000 / ratePerSecond;
    for (let sequence = 0; sequence < events; sequence += 1) {
      const dueMs = startedAtMs + sequence * intervalMs;
      if (dueMs > Date.now()) await sleep(dueMs - Date.now());
      const accepted = publisher.publish(exchange, PROBE_EVENT.type, envelopeBody(sequence), {
        persistent: true,
        mandatory: true,
        messageId: String(sequence),
        headers: { 'x-sent-at-ms': Date.now() },
      });
      if (!accepted) await new Promise((resolve) => publisher.once('drain', resolve));
      if ((sequence + 1) % CONFIRM_BATCH_SIZE === 0) await publisher.waitForConfirms();
    }
    await publisher.waitForConfirms();
    if (
      (await withinMs(
        allConsumed.then(() => true),
        RUN_TIMEOUT_MS,
      )) === undefined
    )
      throw new Error(`${name}: ${latenciesMs.length} of ${events} consumed after ${RUN_TIMEOUT_MS} ms`);
    await consumer.deleteQueue(queue);
    await consumer.deleteExchange(exchange);
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    return {
      figures: {
        name,
        events,
        eventsPerSecond: events / ((lastConsumedAtMs - startedAtMs) / 1000),
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        note: 'amqplib in this process, no database',
      },
    };
  } finally {
    await publisherConnection.close().catch(() => undefined);
    await consumerConnection.close().catch(() => undefined);
  }
}

interface PipelineRun {
  events: number;
  ratePerSecond: number;
  eventsPerTransaction: number;
  writers: number;
  /** Deliveries per consumer transaction at most; unset: the platform's default. */
  consumerBatchMax?: number;
  /** `alone`: every business transaction its own database transaction; unset: grouped (GroupedTransactions). */
  producerTransactions?: 'grouped' | 'alone';
  /** The relay's gathering between passes under a stream of commits; unset: the platform's default. */
  relayGatherMs?: number;
  /** `own`: each handler of a batch its own unit of work; unset: shared (`sharesUnitOfWork`). */
  consumerUnits?: 'shared' | 'own';
  /** `tcp`: the probes reach MariaDB over TCP loopback; unset: through its Unix socket, when it has one here. */
  databaseTransport?: 'tcp';
}

/**
 * The MariaDB server's Unix socket, when it runs on this machine (its `@@socket` is here): the probes, like
 * a subgraph next to its database, connect through it (DATABASE_SOCKET_PATH) unless a run asks for TCP.
 */
async function localDatabaseSocket(databaseUrl: string): Promise<string | undefined> {
  const database = await mysql.createConnection(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  try {
    const [rows] = await database.query('select @@socket as socket');
    const socket = (rows as { socket: string | null }[])[0].socket;
    return socket !== null && fs.existsSync(socket) && fs.statSync(socket).isSocket() ? socket : undefined;
  } finally {
    await database.end();
  }
}

/** The probes' settings for a run: its own databases (`prefix`) and broker names (`namespace`). */
function probeEnv(environment: TestEnvironment, suffix: string, run: PipelineRun) {
  const prefix = `${environment.env.DATABASE_NAME_PREFIX}_${suffix}`;
  const namespace = `${environment.env.DATABASE_NAME_PREFIX}-${suffix}`;
  const env: Record<string, string> = {
    ...environment.env,
    DATABASE_NAME_PREFIX: prefix,
    EVENTS_NAMESPACE: namespace,
    PROBE_EVENTS_TOTAL: String(run.events),
    PROBE_RATE_PER_SECOND: String(run.ratePerSecond),
    PROBE_EVENTS_PER_TRANSACTION: String(run.eventsPerTransaction),
    PROBE_WRITERS: String(run.writers),
    PROBE_AGGREGATES: 'distinct',
    ...(run.consumerBatchMax === undefined ? {} : { EVENTS_CONSUMER_BATCH_MAX: String(run.consumerBatchMax) }),
    PROBE_PRODUCER_TRANSACTIONS: run.producerTransactions ?? 'grouped',
    ...(run.relayGatherMs === undefined ? {} : { OUTBOX_GATHER_MS: String(run.relayGatherMs) }),
    PROBE_CONSUMER_UNITS: run.consumerUnits ?? 'shared',
    ...(databaseSocket === undefined || run.databaseTransport === 'tcp'
      ? {}
      : { DATABASE_SOCKET_PATH: databaseSocket }),
  };
  return { prefix, namespace, env };
}

/** Throws unless every event has exactly one effect and one inbox row. */
async function verifyLedger(name: string, environment: TestEnvironment, prefix: string, events: number) {
  const ledger = await readProbeLedger(environment.env.DATABASE_URL, prefix);
  if (ledger.missingCount !== 0 || ledger.effects !== events || ledger.inbox !== events)
    throw new Error(`${name}: the run itself is wrong: ${JSON.stringify(ledger)}`);
}

/** The probe producer and consumer, each its own process, through the platform's outbox, relay and inbox. */
async function runPipeline(
  name: string,
  environment: TestEnvironment,
  suffix: string,
  run: PipelineRun,
): Promise<{ figures: Figures; insertsPerSecond: number; producerCpuMsPerEvent: string }> {
  const { prefix, namespace, env } = probeEnv(environment, suffix, run);
  const consumer = await ProbeProcess.start('consumer', ...profiled(env, suffix, 'consumer'));
  let producer: ProbeProcess | undefined;
  try {
    const machineBefore = readMachineCpu();
    producer = await ProbeProcess.start('producer', ...profiled(env, suffix, 'producer'));
    await producer.waitFor((status) => status.done === true, 'every event written', RUN_TIMEOUT_MS);
    await consumer.waitFor((status) => (status.consumed ?? 0) >= run.events, 'every event handled', RUN_TIMEOUT_MS);
    const machineBusy = machineBusyFraction(machineBefore, readMachineCpu());
    const produced = await producer.stop();
    const handled = await consumer.stop();
    await verifyLedger(name, environment, prefix, run.events);
    const startedAtMs = produced.insertStartedAtMs!;
    const insertsPerSecond = run.events / ((produced.insertFinishedAtMs! - startedAtMs) / 1000);
    return {
      insertsPerSecond,
      producerCpuMsPerEvent: cpuPerEvent(produced.cpuMs, run.events),
      figures: {
        name,
        events: run.events,
        eventsPerSecond: run.events / ((handled.lastHandledAtMs! - startedAtMs) / 1000),
        p50Ms: handled.latency?.p50Ms,
        p99Ms: handled.latency?.p99Ms,
        note:
          `producer ${insertsPerSecond.toFixed(0)} inserts/s; CPU per event: producer ${cpuPerEvent(produced.cpuMs, run.events)} ms, ` +
          `consumer ${cpuPerEvent(handled.cpuMs, run.events)} ms; cores ${machineBusy === undefined ? '?' : `${(machineBusy * 100).toFixed(0)} %`} busy; verified: 0 lost, 0 twice`,
      },
    };
  } finally {
    await producer?.stop().catch(() => undefined);
    await consumer.stop().catch(() => undefined);
    await deleteProbeTopology(environment.env.AMQP_URL, namespace).catch(() => undefined);
  }
}

/**
 * The consumer alone: the producer writes and publishes every event while the consumer is stopped (its
 * queue declared), then the consumer drains that backlog, from its first handled event to its last.
 */
async function runConsumerBacklog(
  name: string,
  environment: TestEnvironment,
  suffix: string,
  run: PipelineRun,
): Promise<{ figures: Figures }> {
  const { prefix, namespace, env } = probeEnv(environment, suffix, run);
  let consumer: ProbeProcess | undefined = await ProbeProcess.start('consumer', env);
  let producer: ProbeProcess | undefined;
  try {
    await consumer.stop();
    producer = await ProbeProcess.start('producer', env);
    await producer.waitFor((status) => (status.published ?? 0) >= run.events, 'every event published', RUN_TIMEOUT_MS);
    await producer.stop();
    consumer = await ProbeProcess.start('consumer', ...profiled(env, suffix, 'consumer'));
    await consumer.waitFor((status) => (status.consumed ?? 0) >= run.events, 'the backlog handled', RUN_TIMEOUT_MS);
    const handled = await consumer.stop();
    await verifyLedger(name, environment, prefix, run.events);
    const spanSeconds = (handled.lastHandledAtMs! - handled.firstHandledAtMs!) / 1000;
    return {
      figures: {
        name,
        events: run.events,
        eventsPerSecond: run.events / spanSeconds,
        p50Ms: undefined,
        p99Ms: undefined,
        note: `consumer alone: CPU per event ${cpuPerEvent(handled.cpuMs, run.events)} ms; verified: 0 lost, 0 twice`,
      },
    };
  } finally {
    await producer?.stop().catch(() => undefined);
    await consumer?.stop().catch(() => undefined);
    await deleteProbeTopology(environment.env.AMQP_URL, namespace).catch(() => undefined);
  }
}

/** A probe's env and node options; under BENCH_PROFILE_DIR a CPU profile and SQL trace in <dir>/<run>-<role>. */
function profiled(
  env: Record<string, string>,
  run: string,
  role: 'producer' | 'consumer',
): [Record<string, string>, string[]] {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  if (profileDir === undefined) return [env, []];
  const directory = path.join(profileDir, `${run}-${role}`);
  const preload = path.join(__dirname, 'sql-trace-preload.js');
  return [
    { ...env, BENCH_SQL_TRACE_DIR: directory },
    ['--cpu-prof', `--cpu-prof-dir=${directory}`, '--require', preload],
  ];
}

function cpuPerEvent(cpuMs: number | undefined, events: number): string {
  return cpuMs === undefined ? '?' : (cpuMs / events).toFixed(2);
}

async function describeMachine(databaseUrl: string, amqpUrl: string): Promise<string> {
  const broker = await amqp.connect(amqpUrl);
  const brokerVersion = String(broker.connection.serverProperties.version);
  await broker.close();
  return [
    ...(await describeMachineAndDatabase(databaseUrl)),
    `RabbitMQ ${brokerVersion}: quorum queue, persistent messages, publisher confirms, mandatory, prefetch 32; relay and consumer with the platform's defaults`,
  ].join('\n');
}

function formatTable(rows: Figures[], baseline: Figures): string {
  const header = ['run', 'events', 'events/s', 'vs baseline', 'p50 ms', 'p99 ms', 'note'];
  const cells = rows.map((row) => [
    row.name,
    String(row.events),
    row.eventsPerSecond.toFixed(0),
    `${(row.eventsPerSecond / baseline.eventsPerSecond).toFixed(2)}×`,
    row.p50Ms === undefined ? '-' : String(row.p50Ms),
    row.p99Ms === undefined ? '-' : String(row.p99Ms),
    row.note,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 || column === 6 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join('  ');
  return [line(header), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const settings = loadConfig(process.env, readBenchSettings);
  if (!process.env.DATABASE_URL || !process.env.AMQP_URL)
    throw new Error('DATABASE_URL and AMQP_URL must be set (source infra/services/env.sh)');
  const environment = createTestEnvironment('mysql', { LOG_LEVEL: 'warn' }, true);
  const namespace = environment.env.EVENTS_NAMESPACE;
  const amqpUrl = environment.env.AMQP_URL;
  const pacedEvents = settings.offeredRatePerSecond * settings.pacedSeconds;
  const flatOut = { events: settings.events, ratePerSecond: 0, writers: settings.writers };
  try {
    databaseSocket = await localDatabaseSocket(environment.env.DATABASE_URL);
    console.log(await describeMachine(environment.env.DATABASE_URL, amqpUrl));
    console.log(
      databaseSocket === undefined
        ? 'probes reach MariaDB over TCP (no Unix socket of it on this machine)'
        : `probes reach MariaDB through its Unix socket ${databaseSocket} (DATABASE_SOCKET_PATH), one run over TCP`,
    );
    console.log(
      `load average before: ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `producer: ${settings.writers} concurrent writers, their business transactions grouped (up to ` +
        `${DEFAULT_GROUPED_TRANSACTION_LIMITS.itemsPerGroupMax} per database transaction) or alone; ` +
        `consumer: up to ${DEFAULT_CONSUMER_BATCH_MAX} deliveries ` +
        '(inbox rows + effects) per transaction, or one (consumer batch 1: as before batching)\n',
    );
    const rows: Figures[] = [];
    const measure = async <T extends { figures: Figures }>(run: Promise<T>): Promise<T> => {
      const result = await run;
      rows.push(result.figures);
      console.log(`measured: ${result.figures.name}: ${result.figures.eventsPerSecond.toFixed(0)} events/s`);
      return result;
    };
    const baseline = await measure(
      runAmqpBaseline('baseline: amqplib publish → consume, flat out', amqpUrl, `${namespace}-bt`, settings.events, 0),
    );
    // Before batching, measured in the same run: every business transaction its own database transaction
    // (producer alone) and every delivery its own consumer transaction (batch 1); then batched consumer only.
    const oneByOne = {
      ...flatOut,
      eventsPerTransaction: 1,
      consumerBatchMax: 1,
      producerTransactions: 'alone' as const,
      consumerUnits: 'own' as const,
    };
    const batchedConsumer = { ...flatOut, eventsPerTransaction: 1 };
    const batchLabel = `batch ≤ ${DEFAULT_CONSUMER_BATCH_MAX}`;
    const perTransaction = 'pipeline, flat out, 1 event per transaction,';
    const unbatched = await measure(
      runPipeline(`${perTransaction} producer alone, consumer batch 1`, environment, 'u1', oneByOne),
    );
    const producerAlone = await measure(
      runPipeline(`${perTransaction} producer alone, consumer ${batchLabel}`, environment, 'a1', {
        ...batchedConsumer,
        producerTransactions: 'alone',
      }),
    );
    const single = await measure(
      runPipeline(`${perTransaction} producer grouped, consumer ${batchLabel}`, environment, 't1', batchedConsumer),
    );
    // The same with each handler of a consumer batch its own unit of work: one effect INSERT per event.
    const ownUnits = await measure(
      runPipeline(`${perTransaction} grouped, each handler its own unit of work`, environment, 'o1', {
        ...batchedConsumer,
        consumerUnits: 'own',
      }),
    );
    // The same with 4 writers: each group then holds at most 4 business transactions, and the producer
    // waits on its commit latency (BEGIN, two INSERTs, COMMIT with its disk flush) more than on the cores.
    const fewWriters = await measure(
      runPipeline(`${perTransaction} grouped, ${FEW_WRITERS} writers`, environment, 'w4', {
        ...batchedConsumer,
        writers: FEW_WRITERS,
      }),
    );
    // The same over TCP loopback instead of MariaDB's Unix socket.
    const overTcp =
      databaseSocket === undefined
        ? undefined
        : await measure(
            runPipeline(`${perTransaction} grouped, MariaDB over TCP`, environment, 'p1', {
              ...batchedConsumer,
              databaseTransport: 'tcp',
            }),
          );
    // The same with the relay's passes back to back under the stream (no gathering between them).
    const ungathered = await measure(
      runPipeline(`${perTransaction} grouped, relay passes not gathered`, environment, 'g0', {
        ...batchedConsumer,
        relayGatherMs: 0,
      }),
    );
    const batched = await measure(
      runPipeline('pipeline, flat out, 10 events per transaction', environment, 't10', {
        ...flatOut,
        eventsPerTransaction: 10,
      }),
    );
    const backlog = 'consumer draining a backlog,';
    const backlogUnbatched = await measure(runConsumerBacklog(`${backlog} batch 1`, environment, 'c1', oneByOne));
    const backlogBatched = await measure(
      runConsumerBacklog(`${backlog} ${batchLabel}`, environment, 'cn', batchedConsumer),
    );
    const pacedBaseline = await measure(
      runAmqpBaseline(
        `baseline: amqplib, offered ${settings.offeredRatePerSecond}/s`,
        amqpUrl,
        `${namespace}-bl`,
        pacedEvents,
        settings.offeredRatePerSecond,
      ),
    );
    const paced = await measure(
      runPipeline(`pipeline, offered ${settings.offeredRatePerSecond}/s, 1 event per transaction`, environment, 'l', {
        events: pacedEvents,
        ratePerSecond: settings.offeredRatePerSecond,
        eventsPerTransaction: 1,
        writers: settings.writers,
      }),
    );
    console.log(
      `load average after: ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}\n`,
    );
    console.log(formatTable(rows, baseline.figures));
    const headline = single.figures.eventsPerSecond;
    console.log(
      `\nend to end, flat out, one event per business transaction: ${headline.toFixed(0)} events/s ` +
        `(target ≥ ${TARGET_EVENTS_PER_SECOND}: ${headline >= TARGET_EVENTS_PER_SECOND ? 'met' : 'NOT met'}), ` +
        `${((headline / baseline.figures.eventsPerSecond) * 100).toFixed(1)} % of raw RabbitMQ; its outbox inserts alone ran at ${single.insertsPerSecond.toFixed(0)}/s; ` +
        `with 10 events per transaction ${batched.figures.eventsPerSecond.toFixed(0)} events/s`,
    );
    console.log(
      `producer's business transactions grouped vs each its own database transaction (consumer batched): ` +
        `${single.figures.eventsPerSecond.toFixed(0)} vs ${producerAlone.figures.eventsPerSecond.toFixed(0)} events/s ` +
        `(${(single.figures.eventsPerSecond / producerAlone.figures.eventsPerSecond).toFixed(2)}×); both grouped vs ` +
        `neither (producer alone, consumer batch 1): ${single.figures.eventsPerSecond.toFixed(0)} vs ` +
        `${unbatched.figures.eventsPerSecond.toFixed(0)} events/s ` +
        `(${(single.figures.eventsPerSecond / unbatched.figures.eventsPerSecond).toFixed(2)}×)`,
    );
    console.log(
      `${settings.writers} vs ${FEW_WRITERS} concurrent writers (grouped): ${single.figures.eventsPerSecond.toFixed(0)} vs ` +
        `${fewWriters.figures.eventsPerSecond.toFixed(0)} events/s; ${fewWriters.figures.note}`,
    );
    console.log(
      `a consumer batch's handlers in one unit of work vs each its own: ` +
        `${single.figures.eventsPerSecond.toFixed(0)} vs ${ownUnits.figures.eventsPerSecond.toFixed(0)} events/s ` +
        `(${(single.figures.eventsPerSecond / ownUnits.figures.eventsPerSecond).toFixed(2)}×)`,
    );
    if (overTcp !== undefined)
      console.log(
        `MariaDB through its Unix socket vs over TCP loopback: ${single.figures.eventsPerSecond.toFixed(0)} vs ` +
          `${overTcp.figures.eventsPerSecond.toFixed(0)} events/s ` +
          `(${(single.figures.eventsPerSecond / overTcp.figures.eventsPerSecond).toFixed(2)}×)`,
      );
    console.log(
      `relay passes gathered (${DEFAULT_RELAY_OPTIONS.gatherMs} ms after a pass under a stream) vs back to back: ` +
        `${single.figures.eventsPerSecond.toFixed(0)} vs ${ungathered.figures.eventsPerSecond.toFixed(0)} events/s ` +
        `(${(single.figures.eventsPerSecond / ungathered.figures.eventsPerSecond).toFixed(2)}×); producer CPU per event ` +
        `${single.producerCpuMsPerEvent} vs ${ungathered.producerCpuMsPerEvent} ms`,
    );
    console.log(
      `consumer batches vs one transaction per delivery (producer alone): ` +
        `${producerAlone.figures.eventsPerSecond.toFixed(0)} vs ${unbatched.figures.eventsPerSecond.toFixed(0)} events/s ` +
        `(${(producerAlone.figures.eventsPerSecond / unbatched.figures.eventsPerSecond).toFixed(2)}×); the consumer alone ` +
        `draining a backlog: ${backlogBatched.figures.eventsPerSecond.toFixed(0)} vs ` +
        `${backlogUnbatched.figures.eventsPerSecond.toFixed(0)} events/s ` +
        `(${(backlogBatched.figures.eventsPerSecond / backlogUnbatched.figures.eventsPerSecond).toFixed(2)}×)`,
    );
    console.log(
      `publish-to-handled latency at ${settings.offeredRatePerSecond}/s offered: p50 ${paced.figures.p50Ms} ms, p99 ${paced.figures.p99Ms} ms ` +
        `(raw RabbitMQ at the same rate: p50 ${pacedBaseline.figures.p50Ms} ms, p99 ${pacedBaseline.figures.p99Ms} ms); flat out: p50 ${single.figures.p50Ms} ms, p99 ${single.figures.p99Ms} ms`,
    );
  } finally {
    await environment.cleanup();
    for (const suffix of ['bt', 'bl']) await deleteBaselineLeftovers(amqpUrl, `${namespace}-${suffix}`);
  }
}

/** The baseline deletes its queue when it succeeds; after a failure this removes it. */
async function deleteBaselineLeftovers(url: string, namespace: string): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(`${namespace}.baseline`);
    await channel.deleteExchange(`${namespace}.baseline`);
  } finally {
    await connection.close();
  }
}

runBenchmark(main);
