// Proves the outbox holds the largest events the platform publishes, on libsql and MariaDB: an event
// listing LOAN_BIDS_MAX bids with the widest ids and amounts (as bids.loan.fully-funded and
// loans.loan.disbursed do) is stored and read back byte for byte, although it is larger than MariaDB's
// TEXT (64 KiB); an envelope above OUTBOX_BODY_BYTES_MAX is a broken invariant, named in the error, and
// nothing of it reaches the outbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssertionError,
  defineEvent,
  forkEntityManager,
  initDatabase,
  LOAN_BIDS_MAX,
  newId,
  OUTBOX_BODY_BYTES_MAX,
  OutboxMessage,
  publishEvent,
} from '../src';
import { createTestEnvironment, databaseKindsUnderTest } from '../src/testing';

/** MariaDB's TEXT: the column the outbox body had before MEDIUMTEXT. */
const MARIADB_TEXT_BYTES_MAX = 65_535;
/** The widest amount the events' decoders accept: 15 digits of fen. */
const WIDEST_AMOUNT_FEN = '999999999999999';

const ManyBids = defineEvent<{ loanId: string; bids: { bidId: string; investorId: string; amountFen: string }[] }>(
  'probe.loan.fully-funded',
  1,
);
const Oversized = defineEvent<{ filler: string }>('probe.loan.oversized', 1);

for (const { kind, skip } of databaseKindsUnderTest()) {
  test(
    `the outbox stores an event of LOAN_BIDS_MAX bids and refuses one above OUTBOX_BODY_BYTES_MAX (${kind})`,
    { skip },
    async () => {
      const environment = createTestEnvironment(kind);
      const orm = await initDatabase(environment.config, { subgraph: 'probe_producer', entities: [], migrations: [] });
      try {
        await orm.getSchemaGenerator().updateSchema();
        const loanId = newId();
        const bids = Array.from({ length: LOAN_BIDS_MAX }, () => ({
          bidId: newId(),
          investorId: newId(),
          amountFen: WIDEST_AMOUNT_FEN,
        }));
        const envelope = await forkEntityManager(orm).transactional(async (em) =>
          publishEvent(em, ManyBids, loanId, { loanId, bids }),
        );
        const bodyBytes = Buffer.byteLength(JSON.stringify(envelope));
        assert.ok(
          bodyBytes > MARIADB_TEXT_BYTES_MAX && bodyBytes < OUTBOX_BODY_BYTES_MAX,
          `${bodyBytes} bytes: more than TEXT holds, within the bound`,
        );
        const stored = await forkEntityManager(orm).findOneOrFail(OutboxMessage, { id: envelope.id });
        assert.equal(stored.body, JSON.stringify(envelope), 'read back byte for byte');

        const filler = 'x'.repeat(OUTBOX_BODY_BYTES_MAX);
        await assert.rejects(
          forkEntityManager(orm).transactional(async (em) => publishEvent(em, Oversized, loanId, { filler })),
          (error) =>
            error instanceof AssertionError &&
            error.message.includes('probe.loan.oversized') &&
            error.message.includes(String(OUTBOX_BODY_BYTES_MAX)),
        );
        assert.equal(await forkEntityManager(orm).count(OutboxMessage, { type: Oversized.type }), 0);
      } finally {
        await orm.close(true);
        await environment.cleanup();
      }
    },
  );
}
