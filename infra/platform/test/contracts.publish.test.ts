// Proves a publisher cannot write a payload that breaks its event's contract, on libsql and MariaDB: the
// outbox write fails with the contract's reason (so the change it reports rolls back with it), and a
// payload that keeps the contract is written as it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError, forkEntityManager, initDatabase, newId, OutboxMessage, publishEvent } from '../src';
import { LoanSettled } from '../src/contracts';
import { createTestEnvironment, databaseKindsUnderTest } from '../src/testing';

for (const { kind, skip } of databaseKindsUnderTest()) {
  test(`publishing a payload that breaks its contract fails before the outbox write (${kind})`, { skip }, async () => {
    const environment = createTestEnvironment(kind);
    const orm = await initDatabase(environment.config, { subgraph: 'probe_producer', entities: [], migrations: [] });
    try {
      await orm.getSchemaGenerator().updateSchema();
      const loanId = newId();
      const broken = { loanId, settledAt: 'yesterday' };
      await assert.rejects(
        forkEntityManager(orm).transactional(async (em) => publishEvent(em, LoanSettled, loanId, broken)),
        (error) =>
          error instanceof AssertionError &&
          error.message.includes('repayments.loan.settled v1: settledAt: must be an ISO 8601 instant'),
      );
      assert.equal(await forkEntityManager(orm).count(OutboxMessage, { aggregateId: loanId }), 0);
      const settledAt = new Date().toISOString();
      const envelope = await forkEntityManager(orm).transactional(async (em) =>
        publishEvent(em, LoanSettled, loanId, { loanId, settledAt }),
      );
      assert.deepEqual(envelope.payload, { loanId, settledAt });
      assert.equal(await forkEntityManager(orm).count(OutboxMessage, { aggregateId: loanId }), 1);
    } finally {
      await orm.close(true);
      await environment.cleanup();
    }
  });
}
