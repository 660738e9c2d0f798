// Proves a consumer dead-letters a payload its contract refuses at once, through the real transports:
// delivered once (not deliveryLimit times), the handler never run, the schema's reason logged with the
// message id. RabbitMQ keeps no custom reason with a dead letter (x-death says `rejected`), so the reason
// lives in the log on both transports. Embedded transport on libsql; RabbitMQ on MariaDB.
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import amqp from 'amqplib';
import pino from 'pino';
import {
  brokerNames,
  createMessagingMetrics,
  EmbeddedTransport,
  InboxConsumer,
  initDatabase,
  newId,
  type ConsumerSpec,
  type Database,
  type EventSubscription,
  type EventTransport,
} from '../src';
import { LoanSettled, type LoanSettledPayload } from '../src/contracts';
import {
  createTestEnvironment,
  eventually,
  transportCasesUnderTest,
  transportUnderTest,
  type TestEnvironment,
} from '../src/testing';

const CONSUMER = 'contract_consumer';

/** A logger whose error records the test reads back. */
function recordingLogger(): { logger: pino.Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'error' }, stream), records };
}

for (const { kind, database, skip } of transportCasesUnderTest()) {
  describe(`a payload its contract refuses, on the ${kind} transport (${database})`, { skip }, () => {
    let environment: TestEnvironment;
    let orm: Database;
    let transport: EventTransport;
    const { logger, records } = recordingLogger();
    const handled: string[] = [];
    const deliveries = new Map<string, number>();

    before(async () => {
      environment = createTestEnvironment(database, {}, kind === 'amqp');
      orm = await initDatabase(environment.config, { subgraph: CONSUMER, entities: [], migrations: [] });
      await orm.getSchemaGenerator().updateSchema();
      const subscription: EventSubscription<LoanSettledPayload> = {
        name: 'settle-probe',
        type: LoanSettled.type,
        version: LoanSettled.version,
        contract: LoanSettled,
        async handle(_em, { loanId }) {
          handled.push(loanId);
        },
      };
      const spec = new InboxConsumer(
        CONSUMER,
        orm,
        [subscription],
        logger,
        createMessagingMetrics('contract', undefined),
      ).spec();
      const counting: ConsumerSpec = {
        ...spec,
        handle: (delivery) => {
          deliveries.set(delivery.messageId, (deliveries.get(delivery.messageId) ?? 0) + 1);
          return spec.handle(delivery);
        },
      };
      transport = transportUnderTest(kind, environment.env, logger);
      transport.consume(counting);
      await transport.start();
    });
    after(async () => {
      await transport?.close();
      await orm?.close(true);
      await environment?.cleanup();
    });

    test('is dead-lettered at once with the reason logged, and its handler never runs', async () => {
      const loanId = newId();
      const messageId = newId();
      // settledAt is no instant: the publisher's own check would refuse it, so the envelope is written by hand.
      const envelope = {
        id: messageId,
        type: LoanSettled.type,
        version: LoanSettled.version,
        occurredAt: new Date().toISOString(),
        aggregateId: loanId,
        payload: { loanId, settledAt: 'yesterday' },
      };
      const outcomes = await transport.publish([
        { messageId, routingKey: LoanSettled.type, body: Buffer.from(JSON.stringify(envelope)) },
      ]);
      assert.deepEqual(outcomes, [{ confirmed: true }]);
      if (transport instanceof EmbeddedTransport) {
        assert.deepEqual(
          transport.deadLetters.map((dead) => dead.message.messageId),
          [messageId],
        );
      } else {
        const dead = await eventually(
          () =>
            takeDeadLetter(
              environment.env.AMQP_URL,
              brokerNames(environment.env.EVENTS_NAMESPACE).deadLetterQueue(CONSUMER),
            ),
          30_000,
        );
        assert.equal(dead.messageId, messageId);
        assert.deepEqual(dead.deaths, [{ reason: 'rejected', count: 1 }]);
      }
      assert.equal(deliveries.get(messageId), 1, 'delivered once, not deliveryLimit times');
      assert.deepEqual(handled, []);
      const refusal = records.find((record) => record.messageId === messageId);
      assert.ok(refusal !== undefined, 'the refusal is logged');
      assert.equal(refusal.msg, 'payload refused by its contract: dead-lettered');
      assert.match(String(refusal.reason), /^repayments\.loan\.settled v1: settledAt: must be an ISO 8601 instant$/);
    });
  });
}

/** The dead-letter queue's next message with its x-death entries, undefined while there is none. */
async function takeDeadLetter(
  url: string,
  queue: string,
): Promise<{ messageId: string; deaths: { reason: string; count: number }[] } | undefined> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return undefined;
    const deaths = (message.properties.headers?.['x-death'] ?? []) as { reason: string; count: number }[];
    return {
      messageId: String(message.properties.messageId),
      deaths: deaths.map(({ reason, count }) => ({ reason, count: Number(count) })),
    };
  } finally {
    await connection.close();
  }
}
