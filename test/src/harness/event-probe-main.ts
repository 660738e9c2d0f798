// The event probe: one OS process that produces or consumes a stream of probe events through the real
// platform code (openDatabase's MikroORM setup on MariaDB, outbox, relay, AMQP transport, inbox consumer),
// so fault tests and the benchmark can kill, restart and count it like a real service.
//
//   PROBE_MODE=producer  writes PROBE_EVENTS_TOTAL events, PROBE_EVENTS_PER_TRANSACTION per transaction,
//                        at PROBE_RATE_PER_SECOND (0 = as fast as it can); each transaction inserts one
//                        `probe_emissions` row per event and its outbox row. A restarted producer resumes at
//                        the next sequence number. It keeps relaying until SIGTERM. PROBE_AGGREGATES=mixed
//                        (default) puts one event in four on one of four shared aggregates; `distinct` none.
//                        PROBE_WRITERS (default 1) concurrent writers share the stream, as concurrent requests
//                        would; with more than one, a killed producer may leave gaps, so fault tests use one.
//                        PROBE_PRODUCER_TRANSACTIONS=grouped (default) lets concurrent writers' business
//                        transactions share database transactions (GroupedTransactions); `alone`: each its own.
//   PROBE_MODE=consumer  handles them: each event inserts one `probe_effects` row keyed by its sequence
//                        number (the business key) in the inbox transaction; PROBE_HANDLER_DELAY_MS makes
//                        handlers slow, PROBE_HANG_AT_SEQUENCE makes one handler hang inside its transaction
//                        (to be SIGKILLed there), a payload with `poison: true` always throws.
//                        PROBE_CONSUMER_UNITS=shared (default) lets the handlers of a batch share one unit of
//                        work, their effects one INSERT (`sharesUnitOfWork`); `own`: each handler its own.
//
// Fault hooks live here only, never in the platform: PROBE_FAULT=kill-after-confirm SIGKILLs the producer
// after the broker confirmed a batch and before the relay marks it SENT (once PROBE_FAULT_AFTER_MESSAGES
// were confirmed); PROBE_FAULT=publish-twice publishes every message twice.
//
// Every PROBE_STATUS_INTERVAL_MS the process prints one JSON line `{"probe":"status",...}` (its counters)
// on stdout when they changed, and a last one on SIGTERM; the platform's own logs are the other lines.
import fs from 'node:fs';
import { DeadlockException, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  AmqpTransport,
  brokerNames,
  createLogger,
  createMessagingMetrics,
  DEFAULT_AMQP_OPTIONS,
  forkEntityManager,
  GroupedTransactions,
  initDatabase,
  loadConfig,
  OutboxRelay,
  publishEvent,
  readPlatformConfig,
  startMessaging,
  type Database,
  type DatabaseSpec,
  type EntityManager,
  type EnvReader,
  type EventSubscription,
  type EventTransport,
  type Logger,
  type MessagingMetrics,
  type OutgoingMessage,
  type PlatformConfig,
  type PublishOutcome,
} from '@wanxin/platform';
import { defineContract, type PayloadOf } from '@wanxin/platform/contracts';
import { z } from 'zod';

/** The producer's business row: one per event, written in the event's transaction. */
@Entity({ tableName: 'probe_emissions' })
export class ProbeEmission {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  sequence!: number;

  @Property({ type: 'string', length: 64 })
  aggregateId!: string;

  @Property({ type: 'boolean' })
  poison!: boolean;
}

/** The consumer's effect: the sequence number is the business key, so an effect can exist once only. */
@Entity({ tableName: 'probe_effects' })
export class ProbeEffect {
  [OptionalProps]?: 'id';

  /** Commit order of effects, to check the order of one aggregate's events. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'integer', unique: true })
  sequence!: number;

  @Property({ type: 'string', length: 64 })
  aggregateId!: string;

  @Property({ type: 'string', length: 36 })
  messageId!: string;

  @Property({ type: 'datetime', length: 3 })
  occurredAt!: Date;
}

/** A test-only contract: the probe's consumer reads its events through a schema, as every consumer does. */
export const PROBE_EVENT = defineContract(
  'probe.stream.emitted',
  1,
  z.object({ sequence: z.number().int().nonnegative(), poison: z.boolean() }),
);
export type ProbePayload = PayloadOf<typeof PROBE_EVENT>;
export const PROBE_PRODUCER = 'probe_producer';
export const PROBE_CONSUMER = 'probe_consumer';
export const PROBE_SUBSCRIPTION = 'effects';
export const PRODUCER_SPEC: DatabaseSpec = { subgraph: PROBE_PRODUCER, entities: [ProbeEmission], migrations: [] };
export const CONSUMER_SPEC: DatabaseSpec = { subgraph: PROBE_CONSUMER, entities: [ProbeEffect], migrations: [] };

/** `mixed`: one event in four belongs to one of four shared aggregates (order is exercised); `distinct`: none does. */
export type AggregateMix = 'mixed' | 'distinct';

/** Which aggregate an event belongs to: poison events and most others have their own. */
export function probeAggregateId(sequence: number, poison: boolean, mix: AggregateMix = 'mixed'): string {
  if (poison) return `poison-${sequence}`;
  return mix === 'mixed' && sequence % 4 === 0 ? `shared-${(sequence / 4) % 4}` : `single-${sequence}`;
}

/** Poison events are every `poisonEvery`-th, at the middle of each run of that many (none when 0). */
export function isPoisonSequence(sequence: number, poisonEvery: number): boolean {
  return poisonEvery > 0 && sequence % poisonEvery === Math.floor(poisonEvery / 2);
}

type Fault = 'none' | 'kill-after-confirm' | 'publish-twice';
/** `grouped`: concurrent business transactions share database transactions (GroupedTransactions); `alone`: each its own. */
type ProducerTransactions = 'grouped' | 'alone';
/** `shared`: a batch's handlers share one unit of work (`sharesUnitOfWork`); `own`: each handler its own. */
type ConsumerUnits = 'shared' | 'own';

interface ProbeSettings {
  mode: 'producer' | 'consumer';
  eventsTotal: number;
  eventsPerTransaction: number;
  ratePerSecond: number;
  poisonEvery: number;
  aggregates: AggregateMix;
  writers: number;
  producerTransactions: ProducerTransactions;
  fault: Fault;
  faultAfterMessages: number;
  consumerUnits: ConsumerUnits;
  handlerDelayMs: number;
  hangAtSequence: number;
  hangMaxMs: number;
  statusIntervalMs: number;
}

function readProbeSettings(reader: EnvReader): ProbeSettings {
  return {
    mode: reader.oneOf('PROBE_MODE', ['producer', 'consumer'] as const, 'consumer'),
    eventsTotal: reader.int('PROBE_EVENTS_TOTAL', 0, 0, 1_000_000),
    eventsPerTransaction: reader.int('PROBE_EVENTS_PER_TRANSACTION', 1, 1, 1000),
    ratePerSecond: reader.int('PROBE_RATE_PER_SECOND', 200, 0, 1_000_000),
    poisonEvery: reader.int('PROBE_POISON_EVERY', 0, 0, 1_000_000),
    aggregates: reader.oneOf<AggregateMix>('PROBE_AGGREGATES', ['mixed', 'distinct'], 'mixed'),
    writers: reader.int('PROBE_WRITERS', 1, 1, 64),
    producerTransactions: reader.oneOf<ProducerTransactions>(
      'PROBE_PRODUCER_TRANSACTIONS',
      ['grouped', 'alone'],
      'grouped',
    ),
    fault: reader.oneOf<Fault>('PROBE_FAULT', ['none', 'kill-after-confirm', 'publish-twice'], 'none'),
    faultAfterMessages: reader.int('PROBE_FAULT_AFTER_MESSAGES', 1, 1, 1_000_000),
    consumerUnits: reader.oneOf<ConsumerUnits>('PROBE_CONSUMER_UNITS', ['shared', 'own'], 'shared'),
    handlerDelayMs: reader.int('PROBE_HANDLER_DELAY_MS', 0, 0, 10_000),
    hangAtSequence: reader.int('PROBE_HANG_AT_SEQUENCE', -1, -1, 1_000_000),
    hangMaxMs: reader.int('PROBE_HANG_MAX_MS', 120_000, 1, 600_000),
    statusIntervalMs: reader.int('PROBE_STATUS_INTERVAL_MS', 100, 10, 60_000),
  };
}

/** Written synchronously, so a line printed just before SIGKILL is not lost. */
function printLine(line: Record<string, unknown>): void {
  fs.writeSync(1, `${JSON.stringify({ probe: 'status', pid: process.pid, ...line })}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time this process used so far (user + system). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}

async function counterTotal(metrics: MessagingMetrics, name: 'published' | 'consumed' | 'duplicates'): Promise<number> {
  const { values } = await metrics[name].get();
  return values.reduce((sum, value) => sum + value.value, 0);
}

async function openProbeDatabase(config: PlatformConfig, spec: DatabaseSpec): Promise<Database> {
  // openDatabase runs the committed migrations on MySQL; the probe has none, so its schema comes from its entities.
  const orm = await initDatabase(config, spec);
  await orm.getSchemaGenerator().updateSchema();
  return orm;
}

/** Kills this process with SIGKILL right after the broker confirmed a batch, before the relay can mark it SENT. */
class KillAfterConfirmTransport implements EventTransport {
  readonly kind = 'amqp' as const;
  private confirmedTotal = 0;

  constructor(
    private readonly inner: EventTransport,
    private readonly afterMessages: number,
  ) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const outcomes = await this.inner.publish(messages);
    const confirmed = outcomes.filter((outcome) => outcome.confirmed).length;
    this.confirmedTotal += confirmed;
    if (confirmed > 0 && this.confirmedTotal >= this.afterMessages) {
      printLine({ fault: 'kill-after-confirm', confirmedUnmarked: confirmed, confirmedTotal: this.confirmedTotal });
      process.kill(process.pid, 'SIGKILL');
    }
    return outcomes;
  }

  consume: EventTransport['consume'] = (spec) => this.inner.consume(spec);
  start = () => this.inner.start();
  close = () => this.inner.close();
}

/** Every message reaches the broker twice: the duplicate the inbox has to absorb. */
class PublishTwiceTransport implements EventTransport {
  readonly kind = 'amqp' as const;

  constructor(private readonly inner: EventTransport) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const first = await this.inner.publish(messages);
    const second = await this.inner.publish(messages);
    return first.map((outcome, index) => (outcome.confirmed ? second[index] : outcome));
  }

  consume: EventTransport['consume'] = (spec) => this.inner.consume(spec);
  start = () => this.inner.start();
  close = () => this.inner.close();
}

interface ProducerMessaging {
  metrics: MessagingMetrics;
  /** Wakes the relay after a commit that wrote outbox rows (startMessaging's own subscriber does this). */
  afterCommit(): void;
  stop(): Promise<void>;
}

/** Without a fault this is exactly `startMessaging`; with one, the same parts around a faulty transport. */
async function startProducerMessaging(
  config: PlatformConfig,
  settings: ProbeSettings,
  orm: Database,
  logger: Logger,
): Promise<ProducerMessaging> {
  if (settings.fault === 'none') {
    const messaging = await startMessaging(PROBE_PRODUCER, orm, config.messaging, [], logger);
    return { metrics: messaging.metrics, afterCommit: () => undefined, stop: () => messaging.stop() };
  }
  const messagingConfig = config.messaging;
  if (messagingConfig.amqpUrls === undefined) throw new Error('PROBE_FAULT needs AMQP_URL');
  const amqpTransport = new AmqpTransport(
    {
      ...DEFAULT_AMQP_OPTIONS,
      urls: messagingConfig.amqpUrls,
      names: brokerNames(messagingConfig.namespace),
      prefetch: messagingConfig.prefetch,
      deliveryLimit: messagingConfig.deliveryLimit,
    },
    logger,
  );
  const transport =
    settings.fault === 'kill-after-confirm'
      ? new KillAfterConfirmTransport(amqpTransport, settings.faultAfterMessages)
      : new PublishTwiceTransport(amqpTransport);
  await transport.start();
  const metrics = createMessagingMetrics(PROBE_PRODUCER, orm);
  const relay = new OutboxRelay(orm, transport, messagingConfig.relay, logger, metrics);
  relay.start();
  return {
    metrics,
    afterCommit: () => relay.wake(),
    stop: async () => {
      await relay.stop();
      await transport.close();
    },
  };
}

async function nextSequence(orm: Database): Promise<number> {
  const [row] = await forkEntityManager(orm)
    .getConnection()
    .execute<{ next: number | string }[]>('select coalesce(max(sequence) + 1, 0) as next from probe_emissions');
  return Number(row.next);
}

/** A business transaction the database rolled back as a deadlock victim is tried again this many times at most. */
const DEADLOCK_ATTEMPTS_MAX = 10;
const DEADLOCK_RETRY_DELAY_MS = 10;

/** Runs one business transaction: in a group with concurrent ones, or alone. */
type Transact = <T>(work: (tx: EntityManager) => Promise<T>) => Promise<T>;

function producerTransact(orm: Database, settings: ProbeSettings): Transact {
  if (settings.producerTransactions === 'alone') return (work) => forkEntityManager(orm).transactional(work);
  const groups = new GroupedTransactions(orm);
  return (work) => groups.run(work);
}

/**
 * One business change: the emissions of `count` events and their outbox rows, committed together.
 * MariaDB may roll it back as the victim of a deadlock with the relay's claim (see the report in
 * faults/events.faults.test.ts); then nothing was written and it is simply tried again. Returns the
 * number of such retries.
 */
async function writeEmissions(
  transact: Transact,
  first: number,
  count: number,
  settings: ProbeSettings,
): Promise<number> {
  for (let attempt = 1; attempt <= DEADLOCK_ATTEMPTS_MAX; attempt += 1) {
    try {
      await transact(async (tx) => {
        for (let offset = 0; offset < count; offset += 1) {
          const eventSequence = first + offset;
          const poison = isPoisonSequence(eventSequence, settings.poisonEvery);
          const aggregateId = probeAggregateId(eventSequence, poison, settings.aggregates);
          tx.persist(tx.create(ProbeEmission, { sequence: eventSequence, aggregateId, poison }));
          publishEvent(tx, PROBE_EVENT, aggregateId, { sequence: eventSequence, poison });
        }
      });
      return attempt - 1;
    } catch (error) {
      if (!(error instanceof DeadlockException) || attempt >= DEADLOCK_ATTEMPTS_MAX) throw error;
      process.stderr.write(
        `deadlock on attempt ${attempt} of the transaction of events ${first}..${first + count - 1}: ${error.message.slice(0, 200)}\n`,
      );
      await sleep(DEADLOCK_RETRY_DELAY_MS * attempt);
    }
  }
  throw new Error('unreachable: the last attempt returns or throws');
}

async function runProducer(config: PlatformConfig, settings: ProbeSettings, logger: Logger): Promise<void> {
  const orm = await openProbeDatabase(config, PRODUCER_SPEC);
  const messaging = await startProducerMessaging(config, settings, orm, logger);
  const firstSequence = await nextSequence(orm);
  const transact = producerTransact(orm, settings);
  let nextToWrite = firstSequence;
  let committedHere = 0;
  let stopping = false;
  let insertStartedAtMs: number | undefined;
  let insertFinishedAtMs: number | undefined;
  let deadlocksRetried = 0;
  const status = async () => ({
    role: 'producer',
    inserted: firstSequence + committedHere,
    insertedHere: committedHere,
    done: firstSequence + committedHere >= settings.eventsTotal,
    published: await counterTotal(messaging.metrics, 'published'),
    insertStartedAtMs,
    insertFinishedAtMs,
    deadlocksRetried,
  });
  const reporter = startStatusReporter(status, settings.statusIntervalMs);
  onTermination(async () => {
    stopping = true;
    reporter.stop();
    await messaging.stop();
    printLine({ ...(await status()), cpuMs: cpuMs(), final: true });
    await orm.close(true);
  });
  printLine({ ready: true, ...(await status()) });
  // Each writer is one stream of business transactions, paced so that all of them together offer the rate.
  const intervalMs =
    settings.ratePerSecond === 0
      ? 0
      : (1000 * settings.eventsPerTransaction * settings.writers) / settings.ratePerSecond;
  const writer = async (index: number) => {
    let nextAtMs = performance.now() + (index * intervalMs) / settings.writers;
    while (nextToWrite < settings.eventsTotal && !stopping) {
      const count = Math.min(settings.eventsPerTransaction, settings.eventsTotal - nextToWrite);
      const first = nextToWrite;
      nextToWrite += count;
      deadlocksRetried += await writeEmissions(transact, first, count, settings);
      messaging.afterCommit();
      committedHere += count;
      // The last commit, not the end of the writers' pacing sleeps, ends the inserts.
      if (firstSequence + committedHere >= settings.eventsTotal) insertFinishedAtMs = Date.now();
      nextAtMs += intervalMs;
      const waitMs = nextAtMs - performance.now();
      if (waitMs > 0) await sleep(waitMs);
    }
  };
  insertStartedAtMs = Date.now();
  await Promise.all(Array.from({ length: settings.writers }, (_, index) => writer(index)));
}

/** Latency from `occurredAt` to the commit of the effect, sampled by the subscription's afterCommit. */
class HandledLatency {
  static readonly SAMPLES_MAX = 1_000_000;
  readonly samplesMs: number[] = [];
  firstHandledAtMs: number | undefined;
  lastHandledAtMs: number | undefined;

  record(occurredAt: string): void {
    const now = Date.now();
    this.firstHandledAtMs ??= now;
    this.lastHandledAtMs = now;
    if (this.samplesMs.length < HandledLatency.SAMPLES_MAX) this.samplesMs.push(now - Date.parse(occurredAt));
  }

  summary(): { count: number; p50Ms: number; p99Ms: number; maxMs: number } | undefined {
    if (this.samplesMs.length === 0) return undefined;
    const sorted = [...this.samplesMs].sort((a, b) => a - b);
    const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
    return { count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] };
  }
}

async function runConsumer(config: PlatformConfig, settings: ProbeSettings, logger: Logger): Promise<void> {
  const orm = await openProbeDatabase(config, CONSUMER_SPEC);
  const latency = new HandledLatency();
  let inFlight = 0;
  let hanging: number | undefined;
  const subscription: EventSubscription<ProbePayload> = {
    name: PROBE_SUBSCRIPTION,
    type: PROBE_EVENT.type,
    version: PROBE_EVENT.version,
    contract: PROBE_EVENT,
    async handle(tx, payload, envelope) {
      inFlight += 1;
      try {
        if (payload.poison) throw new Error(`poison event ${payload.sequence}: this handler always fails`);
        tx.persist(
          tx.create(ProbeEffect, {
            sequence: payload.sequence,
            aggregateId: envelope.aggregateId,
            messageId: envelope.id,
            occurredAt: new Date(envelope.occurredAt),
          }),
        );
        if (payload.sequence === settings.hangAtSequence) {
          // The effect is written inside the open transaction: a kill from here on leaves it uncommitted.
          await tx.flush();
          hanging = payload.sequence;
          printLine({ role: 'consumer', hanging: payload.sequence, inFlight });
          await sleep(settings.hangMaxMs);
          throw new Error(`handler of ${payload.sequence} hung for ${settings.hangMaxMs} ms and was not killed`);
        }
        if (settings.handlerDelayMs > 0) await sleep(settings.handlerDelayMs);
      } finally {
        inFlight -= 1;
      }
    },
    afterCommit: (_payload, envelope) => latency.record(envelope.occurredAt),
    sharesUnitOfWork: settings.consumerUnits === 'shared',
  };
  const messaging = await startMessaging(PROBE_CONSUMER, orm, config.messaging, [subscription], logger);
  const status = async () => ({
    role: 'consumer',
    consumed: await counterTotal(messaging.metrics, 'consumed'),
    duplicates: await counterTotal(messaging.metrics, 'duplicates'),
    inFlight,
    hanging,
    firstHandledAtMs: latency.firstHandledAtMs,
    lastHandledAtMs: latency.lastHandledAtMs,
  });
  const reporter = startStatusReporter(status, settings.statusIntervalMs);
  onTermination(async () => {
    reporter.stop();
    await messaging.stop();
    printLine({ ...(await status()), latency: latency.summary(), cpuMs: cpuMs(), final: true });
    await orm.close(true);
  });
  printLine({ ready: true, ...(await status()) });
}

/** Prints the status when it changed, every `intervalMs`. */
function startStatusReporter(status: () => Promise<Record<string, unknown>>, intervalMs: number): { stop(): void } {
  let last = '';
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    status()
      .then((line) => {
        const text = JSON.stringify(line);
        if (text !== last) printLine(line);
        last = text;
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}

function onTermination(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`probe stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

async function main(): Promise<void> {
  const { platform, settings } = loadConfig(process.env, (reader) => ({
    platform: readPlatformConfig(reader),
    settings: readProbeSettings(reader),
  }));
  const logger = createLogger(`probe-${settings.mode}`, platform.logLevel);
  if (settings.mode === 'producer') await runProducer(platform, settings, logger);
  else await runConsumer(platform, settings, logger);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`probe failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
