// How the relay keeps an aggregate's events in order while draining a busy one in one pass: a pass claims,
// per aggregate, the run of pending rows from its oldest and publishes the runs in waves (the next
// same-type segment of every run together), so no event leaves before the events of another type ahead
// of it are confirmed; a run stops at its first refused row and the rows behind it wait for it. On libsql
// and MariaDB; the transport records what it is given and refuses what the test tells it to, so the claim
// and the waves are what is tested. A claim of more aggregates than one SQL list holds counts each of them;
// the rows ahead of a held-back row leave without waiting for it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defineEvent,
  forkEntityManager,
  OutboxMessage,
  publishEvent,
  SQL_LIST_MAX,
  type Database,
  type OutboxRelay,
  type OutgoingMessage,
  type PublishOutcome,
} from '../src';
import { createTestEnvironment, databaseKindsUnderTest, type TestEnvironment } from '../src/testing';
import { openProbeOutbox, probeRelay, ProbeTransport } from './relay-under-test';

const Step = defineEvent<{ aggregate: string; step: number }>('probe.step.happened', 1);
const Turn = defineEvent<{ aggregate: string; step: number }>('probe.step.turned', 1);
const HOT_ROWS = 150;
const RETRY_DELAY_MS = 50;

class ScriptedTransport extends ProbeTransport {
  /** Each publish call (one wave), as the `aggregate:step` of its messages. */
  readonly waves: string[][] = [];
  /** `aggregate:step` of messages to refuse once: as unroutable, or as a broker nack. */
  readonly unroutableOnce = new Set<string>();
  readonly nackOnce = new Set<string>();
  async publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const labels = messages.map((message) => {
      const { payload } = JSON.parse(message.body.toString('utf8')) as { payload: { aggregate: string; step: number } };
      return `${payload.aggregate}:${payload.step}`;
    });
    this.waves.push(labels);
    return labels.map((label): PublishOutcome => {
      if (this.unroutableOnce.delete(label))
        return { confirmed: false, reason: `unroutable: ${label}`, unroutable: true };
      if (this.nackOnce.delete(label)) return { confirmed: false, reason: `nack: ${label}`, nacked: true };
      return { confirmed: true };
    });
  }

  /** The steps of `aggregate` in the order they were published (refused ones included). */
  stepsOf(aggregate: string): number[] {
    return this.waves
      .flat()
      .filter((label) => label.startsWith(`${aggregate}:`))
      .map((label) => Number(label.split(':')[1]));
  }
}

function steps(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** Writes the steps of `aggregate` in order; those in `turns` as Turn events, the rest as Step. */
async function write(orm: Database, aggregate: string, stepNumbers: number[], turns: number[] = []): Promise<void> {
  await forkEntityManager(orm).transactional(async (tx) => {
    for (const step of stepNumbers)
      publishEvent(tx, turns.includes(step) ? Turn : Step, aggregate, { aggregate, step });
  });
}

async function statusesOf(orm: Database, aggregate: string): Promise<string[]> {
  const rows = await forkEntityManager(orm).find(OutboxMessage, { aggregateId: aggregate }, { orderBy: { id: 'asc' } });
  return rows.map((row) => row.status);
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`outbox relay order on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let orm: Database;
    let transport: ScriptedTransport;
    let relay: OutboxRelay;

    before(async () => {
      environment = createTestEnvironment(kind);
      orm = await openProbeOutbox(environment);
    });
    after(async () => {
      await orm?.close(true);
      await environment?.cleanup();
    });

    function freshRelay(batchSize = 200): void {
      transport = new ScriptedTransport();
      relay = probeRelay(orm, transport, { batchSize, attemptsMax: 5, retryDelayMs: RETRY_DELAY_MS });
    }

    test('a busy aggregate drains in one pass, in order, a wave per same-type segment, shared with the others', async () => {
      freshRelay();
      await write(orm, 'hot', steps(1, HOT_ROWS + 1), [HOT_ROWS + 1]);
      await write(orm, 'calm-a', steps(1, 2));
      await write(orm, 'calm-b', steps(1, 3), [2]);
      assert.equal(await relay.runPass(), HOT_ROWS + 6, 'one pass claims every row');
      assert.equal(await relay.runPass(), 0);
      assert.deepEqual(transport.stepsOf('hot'), steps(1, HOT_ROWS + 1));
      assert.deepEqual(transport.stepsOf('calm-a'), [1, 2]);
      assert.deepEqual(transport.stepsOf('calm-b'), [1, 2, 3]);
      assert.deepEqual(
        transport.waves,
        [
          [...steps(1, HOT_ROWS).map((step) => `hot:${step}`), 'calm-a:1', 'calm-a:2', 'calm-b:1'],
          [`hot:${HOT_ROWS + 1}`, 'calm-b:2'],
          ['calm-b:3'],
        ],
        'an event of another type leaves only in the wave after the events ahead of it',
      );
      for (const aggregate of ['hot', 'calm-a', 'calm-b'])
        assert.ok((await statusesOf(orm, aggregate)).every((status) => status === 'SENT'));
    });

    test('an unroutable row stops its aggregate; the rows behind it leave after it, in order; other aggregates flow on', async () => {
      freshRelay();
      await write(orm, 'stopped', steps(1, 6), [3]);
      await write(orm, 'flowing', steps(1, 6));
      transport.unroutableOnce.add('stopped:3');
      assert.equal(await relay.runPass(), 12);
      assert.deepEqual(transport.stepsOf('stopped'), [1, 2, 3], 'nothing after the refused row was published');
      assert.deepEqual(transport.stepsOf('flowing'), steps(1, 6));
      assert.deepEqual(await statusesOf(orm, 'stopped'), ['SENT', 'SENT', 'PENDING', 'PENDING', 'PENDING', 'PENDING']);
      const refused = await forkEntityManager(orm).findOneOrFail(
        OutboxMessage,
        { aggregateId: 'stopped', status: 'PENDING' },
        { orderBy: { id: 'asc' } },
      );
      assert.equal(refused.attempts, 1);
      const held = await forkEntityManager(orm).find(OutboxMessage, {
        aggregateId: 'stopped',
        status: 'PENDING',
        id: { $ne: refused.id },
      });
      assert.deepEqual(
        held.map((row) => row.nextAttemptAt.getTime()),
        [3, 4, 5].map(() => refused.nextAttemptAt.getTime()),
        'the rows behind it come due with its retry, so they fill no claim while they wait',
      );
      // A moment before the retry is due, however long this machine took to get here.
      assert.equal(
        await relay.runPass(new Date(refused.nextAttemptAt.getTime() - 1)),
        0,
        'while the refused row waits out its retry delay, its aggregate waits with it',
      );
      assert.equal(
        await relay.runPass(new Date(Date.now() + RETRY_DELAY_MS * 4)),
        4,
        'then it and every row behind it go in one pass',
      );
      assert.deepEqual(transport.stepsOf('stopped'), [1, 2, 3, 3, 4, 5, 6]);
      assert.ok((await statusesOf(orm, 'stopped')).every((status) => status === 'SENT'));
    });

    test('a broker nack inside a same-type segment: what the broker took stays sent, the nacked row goes again', async () => {
      freshRelay();
      await write(orm, 'nacked', steps(1, 5), [5]);
      transport.nackOnce.add('nacked:2');
      assert.equal(await relay.runPass(), 5);
      assert.deepEqual(
        transport.stepsOf('nacked'),
        [1, 2, 3, 4],
        'the segment went out together; the next type did not',
      );
      assert.deepEqual(await statusesOf(orm, 'nacked'), ['SENT', 'PENDING', 'SENT', 'SENT', 'PENDING']);
      assert.equal(await relay.runPass(new Date(Date.now() + RETRY_DELAY_MS * 4)), 2);
      assert.deepEqual(transport.stepsOf('nacked'), [1, 2, 3, 4, 2, 5]);
      assert.ok((await statusesOf(orm, 'nacked')).every((status) => status === 'SENT'));
    });

    test('a pending row not yet due between two due ones holds back the rows after it', async () => {
      freshRelay();
      await write(orm, 'gap', steps(1, 3));
      const rows = await forkEntityManager(orm).find(OutboxMessage, { aggregateId: 'gap' }, { orderBy: { id: 'asc' } });
      // As if another relay held the second row's lease.
      await forkEntityManager(orm).nativeUpdate(
        OutboxMessage,
        { id: rows[1].id },
        { nextAttemptAt: new Date(Date.now() + 60_000) },
      );
      assert.equal(await relay.runPass(), 1, 'only the oldest goes');
      assert.deepEqual(transport.stepsOf('gap'), [1]);
      assert.equal(await relay.runPass(), 0, 'the third waits for the second');
      assert.equal(await relay.runPass(new Date(Date.now() + 120_000)), 2);
      assert.deepEqual(transport.stepsOf('gap'), [1, 2, 3]);
    });

    test('the rows ahead of a held-back one leave together; the ones behind it wait', async () => {
      freshRelay();
      await write(orm, 'held', steps(1, 4));
      const rows = await forkEntityManager(orm).find(
        OutboxMessage,
        { aggregateId: 'held' },
        { orderBy: { id: 'asc' } },
      );
      await forkEntityManager(orm).nativeUpdate(
        OutboxMessage,
        { id: rows[2].id },
        { nextAttemptAt: new Date(Date.now() + 60_000) },
      );
      assert.equal(await relay.runPass(), 2, 'the first two go');
      assert.deepEqual(transport.stepsOf('held'), [1, 2]);
      assert.equal(await relay.runPass(), 0, 'the fourth waits for the third');
      assert.equal(await relay.runPass(new Date(Date.now() + 120_000)), 2);
      assert.deepEqual(transport.stepsOf('held'), [1, 2, 3, 4]);
    });

    test('a claim over more aggregates than one SQL list counts every aggregate', async () => {
      const aggregates = Array.from({ length: 2 * SQL_LIST_MAX + 201 }, (_, index) => `many-${index}`);
      freshRelay(2 * aggregates.length + 100);
      await forkEntityManager(orm).transactional(async (tx) => {
        for (const aggregate of aggregates)
          for (const step of steps(1, 2)) publishEvent(tx, Step, aggregate, { aggregate, step });
      });
      assert.ok((await relay.runPass()) >= 2 * aggregates.length, 'one pass claims every row');
      for (const aggregate of aggregates) assert.deepEqual(transport.stepsOf(aggregate), [1, 2], aggregate);
      const pending = await forkEntityManager(orm).count(OutboxMessage, {
        aggregateId: { $like: 'many-%' },
        status: { $ne: 'SENT' },
      });
      assert.equal(pending, 0, 'every row of every aggregate was sent');
    });
  });
}
