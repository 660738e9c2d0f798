// The contract of reliable events, proven on both transports with the same code: an event committed with
// its change is handled exactly once; a rolled-back change publishes nothing; an aggregate's events
// arrive in order; a duplicate delivery is absorbed by the inbox; a failing handler is retried until it
// succeeds; a poison message is dead-lettered while the rest flow on; an event nobody consumes stays
// pending and then goes DEAD. Embedded transport on libsql; RabbitMQ on MariaDB.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import amqp from 'amqplib';
import { z } from 'zod';
import {
  brokerNames,
  defineEvent,
  EmbeddedTransport,
  forkEntityManager,
  InboxConsumer,
  InboxMessage,
  initDatabase,
  OutboxMessage,
  OutboxRelay,
  createMessagingMetrics,
  createLogger,
  publishEvent,
  type Database,
  type EventSubscription,
  type EventTransport,
  type PlatformConfig,
  type RelayOptions,
} from '../src';
import { defineContract, type PayloadOf } from '../src/contracts';
import {
  createTestEnvironment,
  eventually,
  transportCasesUnderTest,
  transportUnderTest,
  waitFor,
  type TestEnvironment,
} from '../src/testing';

@Entity({ tableName: 'probe_effects' })
class ProbeEffect {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  sequence!: number;

  @Property({ type: 'string', length: 64 })
  aggregateId!: string;

  /** Order in which the consumer handled the events. */
  @Property({ type: 'integer' })
  handledOrder!: number;
}

/** A test-only contract: the consumer reads its probe events through a schema, as every consumer does. */
const ProbeHappened = defineContract(
  'probe.thing.happened',
  1,
  z.object({ sequence: z.number().int().nonnegative(), poison: z.boolean(), failTimes: z.number().int().min(0) }),
);
type ProbePayload = PayloadOf<typeof ProbeHappened>;
const Unconsumed = defineEvent<{ note: string }>('probe.thing.ignored', 1);
const Notification = defineEvent<{ note: string }>('probe.thing.noticed', 1, { mayGoUnheard: true });
const RELAY: RelayOptions = {
  batchSize: 50,
  pollIntervalMs: 50,
  gatherMs: 10,
  attemptsMax: 3,
  retryDelayMs: 20,
  retryDelayMaxMs: 100,
  leaseMs: 5_000,
};
const logger = createLogger('contract', 'silent');

async function openProbeDatabase(config: PlatformConfig, subgraph: string): Promise<Database> {
  const orm = await initDatabase(config, { subgraph, entities: [ProbeEffect], migrations: [] });
  await orm.getSchemaGenerator().updateSchema();
  return orm;
}

interface Harness {
  producer: Database;
  consumer: Database;
  relay: OutboxRelay;
  transport: EventTransport;
  failures: Map<number, number>;
  /** Deliveries of a probe event the inbox recognised and acked without effect, so far. */
  duplicatesSkipped(): Promise<number>;
  stop(): Promise<void>;
}

async function startHarness(kind: 'embedded' | 'amqp', environment: TestEnvironment): Promise<Harness> {
  const producer = await openProbeDatabase(environment.config, 'probe_producer');
  const consumer = await openProbeDatabase(environment.config, 'probe_consumer');
  const failures = new Map<number, number>();
  let handledOrder = 0;
  const subscription: EventSubscription<ProbePayload> = {
    name: 'record-effect',
    type: ProbeHappened.type,
    version: ProbeHappened.version,
    contract: ProbeHappened,
    async handle(em, payload, envelope) {
      if (payload.poison) throw new Error('poison');
      const failed = failures.get(payload.sequence) ?? 0;
      if (failed < payload.failTimes) {
        failures.set(payload.sequence, failed + 1);
        throw new Error(`transient failure ${failed + 1}`);
      }
      handledOrder += 1;
      em.persist(
        em.create(ProbeEffect, { sequence: payload.sequence, aggregateId: envelope.aggregateId, handledOrder }),
      );
    },
  };
  const metrics = createMessagingMetrics('probe', undefined);
  const transport = transportUnderTest(kind, environment.env, logger);
  transport.consume(new InboxConsumer('probe_consumer', consumer, [subscription], logger, metrics).spec());
  await transport.start();
  const relay = new OutboxRelay(producer, transport, RELAY, logger, metrics);
  relay.start();
  return {
    producer,
    consumer,
    relay,
    transport,
    failures,
    duplicatesSkipped: async () =>
      (await metrics.duplicates.get()).values.find((value) => value.labels.type === ProbeHappened.type)?.value ?? 0,
    stop: async () => {
      await relay.stop();
      await transport.close();
      await producer.close(true);
      await consumer.close(true);
    },
  };
}

async function publishProbe(
  orm: Database,
  aggregateId: string,
  payload: Partial<ProbePayload> & { sequence: number },
): Promise<void> {
  await forkEntityManager(orm).transactional(async (em) => {
    publishEvent(em, ProbeHappened, aggregateId, { poison: false, failTimes: 0, ...payload });
  });
}

async function effects(orm: Database): Promise<ProbeEffect[]> {
  return forkEntityManager(orm).find(ProbeEffect, {}, { orderBy: { handledOrder: 'asc' } });
}

async function outboxCount(orm: Database, status: string): Promise<number> {
  return forkEntityManager(orm).count(OutboxMessage, { status: status as never });
}

for (const { kind, database, skip } of transportCasesUnderTest()) {
  describe(`reliable events on the ${kind} transport (${database})`, { skip }, () => {
    let environment: TestEnvironment;
    let harness: Harness;

    before(async () => {
      environment = createTestEnvironment(database, {}, kind === 'amqp');
      harness = await startHarness(kind, environment);
    });
    after(async () => {
      await harness?.stop();
      await environment?.cleanup();
    });

    test('an event committed with its change is handled exactly once; a rollback publishes nothing', async () => {
      await publishProbe(harness.producer, 'agg-1', { sequence: 1 });
      await assert.rejects(
        forkEntityManager(harness.producer).transactional(async (em) => {
          publishEvent(em, ProbeHappened, 'agg-1', { sequence: 2, poison: false, failTimes: 0 });
          throw new Error('the business change failed');
        }),
      );
      await eventually(async () => ((await effects(harness.consumer)).length === 1 ? true : undefined));
      assert.deepEqual(
        (await effects(harness.consumer)).map((effect) => effect.sequence),
        [1],
      );
      assert.equal(await outboxCount(harness.producer, 'SENT'), 1);
    });

    test("an aggregate's events are handled in the order they were written", async () => {
      for (let sequence = 100; sequence < 130; sequence += 1)
        await publishProbe(harness.producer, `agg-${sequence % 3}`, { sequence });
      await eventually(async () =>
        (await effects(harness.consumer)).filter((effect) => effect.sequence >= 100).length === 30 ? true : undefined,
      );
      const handled = (await effects(harness.consumer)).filter((effect) => effect.sequence >= 100);
      for (const aggregate of ['agg-0', 'agg-1', 'agg-2']) {
        const sequences = handled.filter((effect) => effect.aggregateId === aggregate).map((effect) => effect.sequence);
        assert.deepEqual(
          sequences,
          [...sequences].sort((a, b) => a - b),
          `${aggregate} out of order`,
        );
      }
    });

    test('a duplicate delivery of the same message is absorbed by the inbox', async () => {
      await publishProbe(harness.producer, 'agg-dup', { sequence: 200 });
      await eventually(async () =>
        (await effects(harness.consumer)).some((effect) => effect.sequence === 200) ? true : undefined,
      );
      const row = await forkEntityManager(harness.producer).findOneOrFail(OutboxMessage, { aggregateId: 'agg-dup' });
      const duplicatesBefore = await harness.duplicatesSkipped();
      const outcomes = await harness.transport.publish([
        { messageId: row.id, routingKey: row.type, body: Buffer.from(row.body) },
      ]);
      assert.deepEqual(outcomes, [{ confirmed: true }]);
      await waitFor(async () => (await harness.duplicatesSkipped()) === duplicatesBefore + 1, {
        timeoutMs: 15_000,
        what: 'the consumer acked the second delivery as a duplicate',
      });
      assert.equal(await forkEntityManager(harness.consumer).count(InboxMessage, { messageId: row.id }), 1);
      assert.equal((await effects(harness.consumer)).filter((effect) => effect.sequence === 200).length, 1);
    });

    test('a handler that fails is retried until it succeeds', async () => {
      await publishProbe(harness.producer, 'agg-flaky', { sequence: 300, failTimes: 2 });
      await eventually(async () =>
        (await effects(harness.consumer)).some((effect) => effect.sequence === 300) ? true : undefined,
      );
      assert.equal(harness.failures.get(300), 2);
    });

    test('a poison message is dead-lettered while the rest flow on', async () => {
      await publishProbe(harness.producer, 'agg-poison', { sequence: 400, poison: true });
      for (let sequence = 401; sequence <= 405; sequence += 1)
        await publishProbe(harness.producer, `agg-ok-${sequence}`, { sequence });
      await eventually(async () =>
        (await effects(harness.consumer)).filter((effect) => effect.sequence > 400 && effect.sequence <= 405).length ===
        5
          ? true
          : undefined,
      );
      if (harness.transport instanceof EmbeddedTransport) {
        const transport = harness.transport;
        await eventually(async () => (transport.deadLetters.length === 1 ? true : undefined));
      } else {
        const dead = brokerNames(environment.env.EVENTS_NAMESPACE).deadLetterQueue('probe_consumer');
        await eventually(
          async () => ((await queueDepth(environment.env.AMQP_URL, dead)) === 1 ? true : undefined),
          30_000,
        );
      }
      assert.ok(!(await effects(harness.consumer)).some((effect) => effect.sequence === 400));
    });

    test('an event nobody consumes stays pending, is retried with backoff, then goes DEAD', async () => {
      await forkEntityManager(harness.producer).transactional(async (em) => {
        publishEvent(em, Unconsumed, 'agg-lonely', { note: 'no queue is bound to this key' });
      });
      const row = await eventually(async () => {
        const found = await forkEntityManager(harness.producer).findOne(OutboxMessage, { type: Unconsumed.type });
        return found?.status === 'DEAD' ? found : undefined;
      });
      assert.equal(row.attempts, RELAY.attemptsMax);
      assert.match(row.lastError ?? '', /unroutable/);
      assert.equal(await outboxCount(harness.producer, 'PENDING'), 0);
    });

    test('a notification nobody listens to yet counts as delivered and does not hold its aggregate back', async () => {
      await forkEntityManager(harness.producer).transactional(async (em) => {
        publishEvent(em, Notification, 'agg-notice', { note: 'for dashboards' });
        publishEvent(em, ProbeHappened, 'agg-notice', { sequence: 500, poison: false, failTimes: 0 });
      });
      await eventually(
        async () => ((await effects(harness.consumer)).some((effect) => effect.sequence === 500) ? true : undefined),
        5_000,
      );
      const notice = await forkEntityManager(harness.producer).findOneOrFail(OutboxMessage, {
        type: Notification.type,
      });
      assert.equal(notice.status, 'SENT');
    });
  });
}

async function queueDepth(url: string, queue: string): Promise<number> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}
