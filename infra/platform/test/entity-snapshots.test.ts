// Regression: entities that were only read must not be written back on flush. MikroORM's 'datetime'
// type on libsql hydrated dates that never compared equal to their snapshot, so every flush after a
// read rewrote them; for the outbox this silently reverted the relay's lease (`next_attempt_at`). Every
// date column is declared `type: 'Date'`; this test pins it on both databases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineEvent, forkEntityManager, InboxMessage, initDatabase, OutboxMessage, publishEvent } from '../src';
import { createTestEnvironment, databaseKindsUnderTest } from '../src/testing';

const Probe = defineEvent<{ n: number }>('probe.snapshot.checked', 1);

for (const { kind, skip } of databaseKindsUnderTest()) {
  test(`reading outbox and inbox rows leaves nothing to flush (${kind})`, { skip }, async () => {
    const environment = createTestEnvironment(kind);
    const orm = await initDatabase(environment.config, { subgraph: 'probe_producer', entities: [], migrations: [] });
    try {
      await orm.getSchemaGenerator().updateSchema();
      await forkEntityManager(orm).transactional(async (em) => {
        publishEvent(em, Probe, 'aggregate', { n: 1 });
        await em.insert(InboxMessage, { consumer: 'probe', messageId: 'm', type: Probe.type, handledAt: new Date() });
      });
      const em = forkEntityManager(orm);
      const outbox = await em.find(OutboxMessage, {});
      const inbox = await em.find(InboxMessage, {});
      assert.equal(outbox.length + inbox.length, 2);
      const unitOfWork = em.getUnitOfWork();
      unitOfWork.computeChangeSets();
      assert.deepEqual(
        unitOfWork.getChangeSets().map((change) => `${change.name} ${JSON.stringify(change.payload)}`),
        [],
      );
    } finally {
      await orm.close(true);
      await environment.cleanup();
    }
  });
}
