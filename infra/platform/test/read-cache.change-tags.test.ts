// What a subgraph tells the gateway's read cache. Every change to a row with a change tag rule — flushed by the
// unit of work, native (insert, nativeUpdate, nativeDelete), or hand-written SQL (insertRows, noteRawWrite) —
// writes one platform.cache.changed outbox row in its own transaction, naming the rule's tags (or `all` when
// the write names no key); a rolled-back transaction writes none; rows without a rule write none. Each request
// hears what it changed, and a group commit tells every caller in its group. On libsql and MariaDB.
// The viewer observation: how a subgraph's answer depended on who asked, through Apollo's copy of the context.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import {
  ChangedTags,
  ChangeTagSubscriber,
  forkEntityManager,
  GroupCommit,
  initDatabase,
  insertRows,
  isOwnerOrAdmin,
  newId,
  noteRawWrite,
  observeViewer,
  OutboxMessage,
  requestChanges,
  runSql,
  type Database,
} from '../src';
import { createTestEnvironment, databaseKindsUnderTest } from '../src/testing';

@Entity({ tableName: 'tagged_row' })
class TaggedRow {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 36 })
  loanId!: string;

  @Property({ type: 'integer' })
  count!: number;
}

@Entity({ tableName: 'untagged_row' })
class UntaggedRow {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;
}

const rule = {
  entity: TaggedRow,
  tagsOf: (row: Partial<TaggedRow>) => (row.loanId === undefined ? undefined : [`Loan:${row.loanId}`]),
};

/** The cache.changed rows written so far, oldest first: their tags and `all`. */
async function changes(orm: Database): Promise<{ tags: string[]; all: boolean }[]> {
  const rows = await forkEntityManager(orm).find(
    OutboxMessage,
    { type: 'platform.cache.changed' },
    { orderBy: { id: 'asc' } },
  );
  return rows.map((row) => {
    const { tags, all } = JSON.parse(row.body).payload as { tags: string[]; all: boolean };
    return { tags: [...tags].sort(), all };
  });
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`change tags for the read cache (${kind})`, { skip }, () => {
    const withDatabase = async (work: (orm: Database, wakes: () => number) => Promise<void>) => {
      const environment = createTestEnvironment(kind);
      const orm = await initDatabase(environment.config, {
        subgraph: 'tags_probe',
        entities: [TaggedRow, UntaggedRow],
        migrations: [],
      });
      try {
        await orm.getSchemaGenerator().updateSchema();
        let wakes = 0;
        orm.em
          .getEventManager()
          .registerSubscriber(new ChangeTagSubscriber('probe', [rule], orm.config, () => (wakes += 1)));
        await work(orm, () => wakes);
      } finally {
        await orm.close(true);
        await environment.cleanup();
      }
    };

    test('a flushed change writes one row with its tags in its transaction; a rollback writes none', async () => {
      await withDatabase(async (orm, wakes) => {
        const [a, b] = [newId(), newId()];
        await forkEntityManager(orm).transactional(async (tx) => {
          tx.persist(Object.assign(new TaggedRow(), { id: newId(), loanId: a, count: 1 }));
          tx.persist(Object.assign(new TaggedRow(), { id: newId(), loanId: b, count: 1 }));
          tx.persist(Object.assign(new UntaggedRow(), { id: newId() }));
        });
        assert.deepEqual(await changes(orm), [{ tags: [`Loan:${a}`, `Loan:${b}`].sort(), all: false }]);
        assert.ok(wakes() >= 1, 'the relay was woken');
        await assert.rejects(
          forkEntityManager(orm).transactional(async (tx) => {
            tx.persist(Object.assign(new TaggedRow(), { id: newId(), loanId: newId(), count: 1 }));
            await tx.flush();
            throw new Error('rolled back');
          }),
        );
        assert.equal((await changes(orm)).length, 1, 'the rolled-back change wrote no row');
        const em = forkEntityManager(orm);
        const row = await em.findOneOrFail(TaggedRow, { loanId: a });
        row.count = 2;
        await em.flush();
        assert.deepEqual(
          (await changes(orm))[1],
          { tags: [`Loan:${a}`], all: false },
          'an update outside a transaction',
        );
      });
    });

    test('native writes (insert, upsert, nativeUpdate, nativeDelete) are noted, in a transaction of their own outside one; a write naming no key says all', async () => {
      await withDatabase(async (orm) => {
        const loanId = newId();
        const id = newId();
        await forkEntityManager(orm).insert(TaggedRow, { id, loanId, count: 1 });
        await forkEntityManager(orm).upsert(TaggedRow, { id, loanId, count: 1 });
        await forkEntityManager(orm).nativeUpdate(TaggedRow, { id: { $in: [id] }, loanId }, { count: 2 });
        await forkEntityManager(orm).nativeUpdate(TaggedRow, { id }, { count: 3 });
        await forkEntityManager(orm).nativeUpdate(TaggedRow, { id: newId(), loanId }, { count: 4 });
        await forkEntityManager(orm).nativeUpdate(UntaggedRow, { id }, {});
        await forkEntityManager(orm).nativeDelete(TaggedRow, { loanId });
        assert.deepEqual(await changes(orm), [
          { tags: [`Loan:${loanId}`], all: false },
          { tags: [`Loan:${loanId}`], all: false },
          { tags: [`Loan:${loanId}`], all: false },
          { tags: [], all: true },
          { tags: [`Loan:${loanId}`], all: false },
        ]);
      });
    });

    test('hand-written SQL is noted inside its transaction (insertRows, noteRawWrite), refused outside one', async () => {
      await withDatabase(async (orm) => {
        const [a, b] = [newId(), newId()];
        await forkEntityManager(orm).transactional(async (tx) => {
          await insertRows(tx, TaggedRow, [Object.assign(new TaggedRow(), { id: newId(), loanId: a, count: 1 })]);
          noteRawWrite(tx, TaggedRow, [{ loanId: b }]);
          await runSql(tx, 'update tagged_row set count = count + 1 where loan_id = ?', [b]);
        });
        assert.deepEqual(await changes(orm), [{ tags: [`Loan:${a}`, `Loan:${b}`].sort(), all: false }]);
        assert.throws(() => noteRawWrite(forkEntityManager(orm), TaggedRow, [{ loanId: a }]), /outside a transaction/);
      });
    });

    test('a request hears what it changed, and a group commit tells every caller in the group', async () => {
      await withDatabase(async (orm) => {
        const insert = (loanId: string) =>
          forkEntityManager(orm).transactional(async (tx) => {
            tx.persist(Object.assign(new TaggedRow(), { id: newId(), loanId, count: 1 }));
          });
        const group = new GroupCommit<string, void>(async (loanIds) => Promise.all(loanIds.map(insert)), {
          groupsInFlightMax: 1,
          itemsPerGroupMax: 10,
          waitingMax: 10,
        });
        const callers = [new ChangedTags(), new ChangedTags(), new ChangedTags()];
        const loanIds = [newId(), newId(), newId()];
        // The first caller's group starts at once; the other two wait and go together in the next.
        await Promise.all(
          callers.map((collector, index) => requestChanges.run([collector], () => group.offer(loanIds[index])!)),
        );
        assert.deepEqual([...callers[0].tags], [`Loan:${loanIds[0]}`]);
        for (const collector of callers.slice(1))
          assert.deepEqual([...collector.tags].sort(), [`Loan:${loanIds[1]}`, `Loan:${loanIds[2]}`].sort());
        const outside = new ChangedTags();
        await requestChanges.run([outside], async () => undefined);
        await insert(newId());
        assert.ok(outside.isEmpty, 'a change outside the request is not its own');
      });
    });
  });
}

test('the viewer observation: not read, read by kind with the owners compared, read by identity', () => {
  const fields = { em: 'em' };
  const unread = observeViewer(fields, { id: 'u1', role: 'INVESTOR' });
  assert.equal(unread.viewerObservation.consulted, false);
  const compared = observeViewer(fields, { id: 'u1', role: 'INVESTOR' });
  // Apollo copies a context per operation: Object.create of its prototype, then its own fields.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(compared)), compared) as typeof compared;
  assert.equal(isOwnerOrAdmin(copy.viewer, 'u2'), false);
  assert.equal(isOwnerOrAdmin(copy.viewer, 'u1'), true);
  assert.deepEqual(compared.viewerObservation, copy.viewerObservation);
  assert.equal(compared.viewerObservation.consulted, true);
  assert.deepEqual([...compared.viewerObservation.owners], ['u2', 'u1']);
  assert.equal(compared.viewerObservation.identityRead, false);
  assert.equal(copy.viewer!.id, 'u1');
  assert.equal(compared.viewerObservation.identityRead, true, 'reading the id makes the answer personal');
  const admin = observeViewer(fields, { id: 'a1', role: 'ADMIN' });
  assert.equal(isOwnerOrAdmin(admin.viewer, 'u2'), true);
  assert.equal(admin.viewerObservation.owners.size, 0, 'an admin sees everything: no owner to tell apart');
  const anonymous = observeViewer(fields, null);
  assert.equal(anonymous.viewer, null);
  assert.equal(anonymous.viewerObservation.consulted, true);
});
