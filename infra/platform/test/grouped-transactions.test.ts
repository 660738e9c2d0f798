// What grouping business transactions keeps, on libsql and on MariaDB: business transactions started
// together share one database transaction and each gets its own result; each commits its effect with its
// outbox row; a failing one rolls back alone (the group is run again one by one) and only its caller sees
// the error; a lone one goes alone; past the group's bound the rest go in the next group.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Entity, PrimaryKey } from '@mikro-orm/core';
import { z } from 'zod';
import {
  defineEvent,
  forkEntityManager,
  GroupedTransactions,
  initDatabase,
  OutboxMessage,
  publishEvent,
  type Database,
  type EntityManager,
} from '../src';
import { createTestEnvironment, databaseKindsUnderTest, type TestEnvironment } from '../src/testing';

/** One row per business transaction; the sequence number is the business key. */
@Entity({ tableName: 'grouped_effects' })
class GroupedEffect {
  @PrimaryKey({ type: 'integer', autoincrement: false }) sequence!: number;
}

const Recorded = defineEvent<{ sequence: number }>('probe.grouped.recorded', 1);
/** Checks the payload shape a consumer would. */
const RECORDED_PAYLOAD = z.object({ sequence: z.number().int() });

/** A business transaction: its effect and its event, and which database transaction it ran in. */
function record(sequence: number, seen: object[], fail = false) {
  return async (tx: EntityManager) => {
    seen.push(tx.getTransactionContext() as object);
    tx.persist(tx.create(GroupedEffect, { sequence }));
    publishEvent(tx, Recorded, `grouped-${sequence}`, { sequence });
    if (fail) throw new Error(`business rule refuses ${sequence}`);
    return `recorded ${sequence}`;
  };
}

async function committed(orm: Database, sequences: number[]): Promise<{ effects: number[]; events: number[] }> {
  const em = forkEntityManager(orm);
  const effects = await em.find(GroupedEffect, { sequence: { $in: sequences } }, { orderBy: { sequence: 'asc' } });
  const rows = await em.find(OutboxMessage, {
    aggregateId: { $in: sequences.map((sequence) => `grouped-${sequence}`) },
  });
  const events = rows
    .map((row) => RECORDED_PAYLOAD.parse((JSON.parse(row.body) as { payload: unknown }).payload).sequence)
    .sort((left, right) => left - right);
  return { effects: effects.map((effect) => effect.sequence), events };
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`grouped business transactions on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let orm: Database;

    before(async () => {
      environment = createTestEnvironment(kind, {}, false);
      orm = await initDatabase(environment.config, { subgraph: 'grouped', entities: [GroupedEffect], migrations: [] });
      await orm.getSchemaGenerator().updateSchema();
    });
    after(async () => {
      await orm?.close(true);
      await environment?.cleanup();
    });

    test('business transactions started together share one database transaction, each with its result', async () => {
      const groups = new GroupedTransactions(orm);
      const seen: object[] = [];
      const sequences = [1, 2, 3, 4, 5, 6];
      const results = await Promise.all(sequences.map((sequence) => groups.run(record(sequence, seen))));
      assert.deepEqual(
        results,
        sequences.map((sequence) => `recorded ${sequence}`),
      );
      assert.equal(new Set(seen).size, 1, 'one database transaction for the six');
      assert.deepEqual(await committed(orm, sequences), { effects: sequences, events: sequences });
    });

    test('a failing business transaction rolls back alone: the others commit, only its caller sees the error', async () => {
      const groups = new GroupedTransactions(orm);
      const seen: object[] = [];
      const sequences = [11, 12, 13, 14, 15];
      const settled = await Promise.allSettled(
        sequences.map((sequence) => groups.run(record(sequence, seen, sequence === 13))),
      );
      assert.deepEqual(
        settled.map((outcome) => outcome.status),
        ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
      );
      assert.match(String((settled[2] as PromiseRejectedResult).reason), /business rule refuses 13/);
      // The group of five, then each one again in its own transaction.
      assert.equal(new Set(seen).size, 6);
      assert.deepEqual(await committed(orm, sequences), { effects: [11, 12, 14, 15], events: [11, 12, 14, 15] });
    });

    test('a lone business transaction goes alone; past the bound the rest go in the next group', async () => {
      const groups = new GroupedTransactions(orm, {
        groupsInFlightMax: 1,
        itemsPerGroupMax: 3,
        waitingMax: 10,
        startAfterTurn: true,
      });
      const lone: object[] = [];
      assert.equal(await groups.run(record(21, lone)), 'recorded 21');
      const seen: object[] = [];
      const sequences = [22, 23, 24, 25, 26, 27, 28];
      await Promise.all(sequences.map((sequence) => groups.run(record(sequence, seen))));
      assert.equal(lone.length, 1);
      assert.equal(new Set(seen).size, 3, 'groups of 3, 3 and 1');
      assert.deepEqual(await committed(orm, [21, ...sequences]), {
        effects: [21, ...sequences],
        events: [21, ...sequences],
      });
    });
  });
}
