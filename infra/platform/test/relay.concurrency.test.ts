// Proves several relays (replicas) never publish the same outbox row in one pass: two relays drain the
// same MariaDB outbox concurrently with FOR UPDATE SKIP LOCKED leases, and every row is published
// exactly once. The transport here only records what it is given: the claim logic is what is tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defineEvent,
  forkEntityManager,
  OutboxMessage,
  publishEvent,
  type OutgoingMessage,
  type PublishOutcome,
} from '../src';
import { createTestEnvironment, servicesUnderTest } from '../src/testing';
import { openProbeOutbox, probeRelay, ProbeTransport } from './relay-under-test';

const Tick = defineEvent<{ n: number }>('probe.tick.happened', 1);
const ROWS = 600;

class RecordingTransport extends ProbeTransport {
  readonly published: string[] = [];
  async publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    // A broker's confirm takes time: the two relays' passes overlap, which is what is under test.
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.published.push(...messages.map((message) => message.messageId));
    return messages.map(() => ({ confirmed: true }));
  }
}

test(
  'two relays on one MariaDB outbox publish every row exactly once',
  { skip: servicesUnderTest(['MariaDB']) },
  async () => {
    const environment = createTestEnvironment('mysql');
    const orm = await openProbeOutbox(environment);
    try {
      const em = forkEntityManager(orm);
      await em.transactional(async (tx) => {
        for (let n = 0; n < ROWS; n += 1) publishEvent(tx, Tick, `aggregate-${n}`, { n });
      });
      const transport = new RecordingTransport();
      const relays = [0, 1].map(() => probeRelay(orm, transport, { batchSize: 50, attemptsMax: 3, retryDelayMs: 10 }));
      const claimedByRelay = [0, 0];
      for (let round = 0; round < 100; round += 1) {
        const claimed = await Promise.all(relays.map((relay) => relay.runPass()));
        claimed.forEach((count, index) => (claimedByRelay[index] += count));
        if (claimed.every((count) => count === 0)) break;
      }
      assert.ok(
        claimedByRelay.every((count) => count > 0),
        `both relays worked: ${claimedByRelay.join(' / ')}`,
      );
      assert.equal(transport.published.length, ROWS, 'every row published once');
      assert.equal(new Set(transport.published).size, ROWS, 'no row published twice');
      assert.equal(await forkEntityManager(orm).count(OutboxMessage, { status: 'SENT' }), ROWS);
    } finally {
      await orm.close(true);
      await environment.cleanup();
    }
  },
);
