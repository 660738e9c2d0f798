// What batching deliveries per consumer transaction keeps, on libsql and on MariaDB: deliveries that arrive
// together are handled in one transaction and each exactly once; a duplicate inside a batch or across
// batches is absorbed by the inbox; a poison message splits its batch, the others still commit and it
// alone goes back to the broker; a payload its contract refuses is dead-lettered without touching the
// batch; each handler keeps its own unit of work, or shares the batch's when its subscription says so (and
// a handler in its own unit still sees the shared effects before it); a subscription in its own transaction
// is never batched.
// The deliveries are handed to the consumer as a transport hands them, many in flight at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { z } from 'zod';
import {
  createLogger,
  createMessagingMetrics,
  forkEntityManager,
  InboxConsumer,
  InboxMessage,
  initDatabase,
  inOwnTransaction,
  newId,
  selectRows,
  sharingUnitOfWork,
  subscribeTo,
  type Database,
  type Delivery,
  type DeliveryVerdict,
  type EventSubscription,
  type MessagingMetrics,
} from '../src';
import { defineContract, type PayloadOf } from '../src/contracts';
import { createTestEnvironment, databaseKindsUnderTest, type TestEnvironment } from '../src/testing';

const Counted = defineContract(
  'probe.batch.counted',
  1,
  z.object({ sequence: z.number().int().nonnegative(), poison: z.boolean() }),
);
/** A second event type, so that one batch holds deliveries of a shared and of an own unit of work. */
const Checked = defineContract(
  'probe.batch.checked',
  1,
  z.object({ sequence: z.number().int().nonnegative(), poison: z.boolean() }),
);
type CountedPayload = PayloadOf<typeof Counted>;
/** Small, so that 30 deliveries in flight make several batches. */
const BATCH_MAX = 8;
const logger = createLogger('consumer-batch', 'silent');

/** One row per event handled; the sequence number is the business key. */
@Entity({ tableName: 'batch_effects' })
class BatchEffect {
  @PrimaryKey({ type: 'integer', autoincrement: false }) sequence!: number;
  /** Which delivery wrote it. */
  @Property({ type: 'string', length: 36 }) messageId!: string;
}

/** A delivery of `Counted` (or `contract`) as a transport hands it over. */
function delivery(
  messageId: string,
  sequence: number,
  poison = false,
  payload?: object,
  contract: typeof Counted = Counted,
): Delivery {
  const envelope = {
    id: messageId,
    type: contract.type,
    version: contract.version,
    occurredAt: new Date().toISOString(),
    aggregateId: `aggregate-${sequence}`,
    payload: payload ?? { sequence, poison },
  };
  return { messageId, routingKey: contract.type, body: Buffer.from(JSON.stringify(envelope)), redeliveries: 0 };
}

interface Harness {
  orm: Database;
  metrics: MessagingMetrics;
  /** Every unit of work a handler was given, and whether it held nothing yet. */
  units: { em: object; fresh: boolean }[];
  consumer(...subscriptions: EventSubscription<CountedPayload>[]): (delivery: Delivery) => Promise<DeliveryVerdict>;
}

function recordingSubscription(units: Harness['units']): EventSubscription<CountedPayload> {
  return {
    name: 'count',
    type: Counted.type,
    version: Counted.version,
    contract: Counted,
    async handle(em, payload, envelope) {
      units.push({ em, fresh: em.getUnitOfWork().getIdentityMap().values().length === 0 });
      if (payload.poison) throw new Error(`poison ${payload.sequence}`);
      em.persist(em.create(BatchEffect, { sequence: payload.sequence, messageId: envelope.id }));
    },
  };
}

async function counter(metrics: MessagingMetrics, name: 'consumed' | 'duplicates' | 'batches', label?: string) {
  const { values } = await metrics[name].get();
  return values
    .filter((value) => label === undefined || Object.values(value.labels).includes(label))
    .reduce((sum, value) => sum + value.value, 0);
}

async function effectCount(orm: Database): Promise<number> {
  return forkEntityManager(orm).count(BatchEffect, {});
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`consumer batches on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let harness: Harness;

    before(async () => {
      environment = createTestEnvironment(kind, {}, false);
      const orm = await initDatabase(environment.config, {
        subgraph: 'batch_consumer',
        entities: [BatchEffect],
        migrations: [],
      });
      await orm.getSchemaGenerator().updateSchema();
      const metrics = createMessagingMetrics('batch_consumer', undefined);
      const units: Harness['units'] = [];
      harness = {
        orm,
        metrics,
        units,
        consumer: (...subscriptions) => {
          const handled = subscriptions.length === 0 ? [recordingSubscription(units)] : subscriptions;
          const spec = new InboxConsumer('batch_consumer', orm, handled, logger, metrics, BATCH_MAX).spec();
          return (delivered) => spec.handle(delivered);
        },
      };
    });
    after(async () => {
      await harness?.orm.close(true);
      await environment?.cleanup();
    });

    test('deliveries in flight together commit in batches, each once, each handler its own unit of work', async () => {
      const handle = harness.consumer();
      const effectsBefore = await effectCount(harness.orm);
      const batchesBefore = await counter(harness.metrics, 'batches', 'committed');
      harness.units.length = 0;
      const verdicts = await Promise.all(
        Array.from({ length: 30 }, (_, index) => handle(delivery(newId(), 1000 + index))),
      );
      assert.deepEqual(new Set(verdicts), new Set(['ack']));
      assert.equal((await effectCount(harness.orm)) - effectsBefore, 30);
      // Offered in one turn, they share batches of at most 8: at least ⌈30 / 8⌉ = 4 transactions.
      assert.ok((await counter(harness.metrics, 'batches', 'committed')) - batchesBefore >= 4);
      assert.equal(new Set(harness.units.map((unit) => unit.em)).size, 30, 'one unit of work per handler');
      assert.ok(harness.units.every((unit) => unit.fresh));
    });

    test('a duplicate inside a batch and across batches is applied once', async () => {
      const handle = harness.consumer();
      const ids = Array.from({ length: 12 }, () => newId());
      const effectsBefore = await effectCount(harness.orm);
      const duplicatesBefore = await counter(harness.metrics, 'duplicates');
      // Each message twice at once (the second waits behind the first: same aggregate), then all again.
      const twice = ids.flatMap((id, index) => [delivery(id, 2000 + index), delivery(id, 2000 + index)]);
      assert.deepEqual(new Set(await Promise.all(twice.map(handle))), new Set(['ack']));
      assert.deepEqual(new Set(await Promise.all(twice.map(handle))), new Set(['ack']));
      assert.equal((await effectCount(harness.orm)) - effectsBefore, 12);
      assert.equal((await counter(harness.metrics, 'duplicates')) - duplicatesBefore, 36);
      const inboxRows = await forkEntityManager(harness.orm).count(InboxMessage, { messageId: { $in: ids } });
      assert.equal(inboxRows, 12);
    });

    test('a poison message splits its batch: the others commit, it alone is requeued', async () => {
      const handle = harness.consumer();
      const effectsBefore = await effectCount(harness.orm);
      const splitBefore = await counter(harness.metrics, 'batches', 'split');
      const deliveries = Array.from({ length: 12 }, (_, index) => delivery(newId(), 3000 + index, index === 6));
      const verdicts = await Promise.all(deliveries.map(handle));
      assert.deepEqual(
        verdicts,
        deliveries.map((_, index) => (index === 6 ? 'requeue' : 'ack')),
      );
      assert.equal((await effectCount(harness.orm)) - effectsBefore, 11);
      assert.ok((await counter(harness.metrics, 'batches', 'split')) - splitBefore >= 1);
      const poisonInbox = await forkEntityManager(harness.orm).count(InboxMessage, {
        messageId: deliveries[6].messageId,
      });
      assert.equal(poisonInbox, 0, 'the poison message left no inbox row');
    });

    test('a payload its contract refuses is dead-lettered without holding back the batch', async () => {
      const handle = harness.consumer();
      const effectsBefore = await effectCount(harness.orm);
      const deliveries = Array.from({ length: 10 }, (_, index) =>
        delivery(newId(), 4000 + index, false, index === 3 ? { sequence: 'not a number', poison: false } : undefined),
      );
      const verdicts = await Promise.all(deliveries.map(handle));
      assert.deepEqual(
        verdicts,
        deliveries.map((_, index) => (index === 3 ? 'reject' : 'ack')),
      );
      assert.equal((await effectCount(harness.orm)) - effectsBefore, 9);
    });

    test('handlers sharing a unit of work: one per batch, flushed once; a poison one still splits it', async () => {
      const handle = harness.consumer(sharingUnitOfWork(recordingSubscription(harness.units)));
      const effectsBefore = await effectCount(harness.orm);
      const batchesBefore = await counter(harness.metrics, 'batches', 'committed');
      harness.units.length = 0;
      const deliveries = Array.from({ length: 24 }, (_, index) => delivery(newId(), 6000 + index, index === 20));
      const verdicts = await Promise.all(deliveries.map(handle));
      assert.deepEqual(
        verdicts,
        deliveries.map((_, index) => (index === 20 ? 'requeue' : 'ack')),
      );
      assert.equal((await effectCount(harness.orm)) - effectsBefore, 23);
      const committed = (await counter(harness.metrics, 'batches', 'committed')) - batchesBefore;
      assert.ok(committed >= 2, `${committed} batches committed`);
      // Handlers of a committed batch share its unit; a split batch's run alone, each in a fresh one.
      const units = new Set(harness.units.map((unit) => unit.em));
      assert.ok(units.size < harness.units.length, `${units.size} units for ${harness.units.length} handlers`);
      const inboxRows = await forkEntityManager(harness.orm).count(InboxMessage, {
        messageId: { $in: deliveries.map((each) => each.messageId) },
      });
      assert.equal(inboxRows, 23, 'one inbox row per handled delivery, none for the poison one');
    });

    test('a handler in its own unit of work sees the shared effects delivered before it in its batch', async () => {
      const sawPrevious: boolean[] = [];
      const checking = subscribeTo(Checked, 'check', async (em, payload, envelope) => {
        const rows = await selectRows<{ sequence: number }>(
          em,
          'select sequence from batch_effects where sequence = ?',
          [payload.sequence - 1],
        );
        sawPrevious.push(rows.length === 1);
        em.persist(em.create(BatchEffect, { sequence: payload.sequence, messageId: envelope.id }));
      });
      const handle = harness.consumer(sharingUnitOfWork(recordingSubscription(harness.units)), checking);
      const effectsBefore = await effectCount(harness.orm);
      const batchesBefore = await counter(harness.metrics, 'batches', 'committed');
      // Even sequences share the batch's unit of work, odd ones check that the one before is written.
      const deliveries = Array.from({ length: 16 }, (_, index) =>
        delivery(newId(), 7000 + index, false, undefined, index % 2 === 0 ? Counted : Checked),
      );
      assert.deepEqual(new Set(await Promise.all(deliveries.map(handle))), new Set(['ack']));
      assert.equal((await effectCount(harness.orm)) - effectsBefore, 16);
      assert.ok((await counter(harness.metrics, 'batches', 'committed')) - batchesBefore >= 2);
      assert.deepEqual(
        sawPrevious,
        Array.from({ length: 8 }, () => true),
      );
    });

    test('a subscription in its own transaction is never batched', async () => {
      const handle = harness.consumer(inOwnTransaction(recordingSubscription(harness.units)));
      const batchesBefore = await counter(harness.metrics, 'batches');
      const effectsBefore = await effectCount(harness.orm);
      const verdicts = await Promise.all(
        Array.from({ length: 10 }, (_, index) => handle(delivery(newId(), 5000 + index))),
      );
      assert.deepEqual(new Set(verdicts), new Set(['ack']));
      assert.equal((await effectCount(harness.orm)) - effectsBefore, 10);
      assert.equal(await counter(harness.metrics, 'batches'), batchesBefore);
    });
  });
}
