import type { DatabaseKind } from '../db';
import { createLogger, type Logger } from '../logger';
import { newId } from '../ids';
import { AmqpTransport } from '../messaging/amqp-transport';
import { DEFAULT_AMQP_OPTIONS } from '../messaging/options';
import { EmbeddedTransport } from '../messaging/embedded-transport';
import { embeddedTransport } from '../messaging/runtime';
import type { EventEnvelope, EventType, JsonObject } from '../messaging/event';
import { brokerNames, type EventTransport } from '../messaging/transport';
import { servicesUnderTest } from './services';

/** What a test delivers: an event as its publisher would write it to the outbox. */
export interface TestEvent {
  type: EventType;
  version: number;
  aggregateId: string;
  payload: JsonObject;
}

/**
 * Delivers one event, as the relay does, to the consumers of the subgraphs this process started on the
 * embedded transport: envelope decoding, the payload's decoder, the inbox and the handler's transaction
 * are the real ones. Each call is a new message (its own id), so it reaches the handler even when an
 * equal event was delivered before; given the `messageId` of an earlier delivery, it is that message
 * delivered again, as a broker redelivers one, which the inbox takes once. Resolves once every bound
 * consumer acked it; throws when it was unroutable, could not be handled or was dead-lettered.
 */
export async function deliverEvent(event: TestEvent, messageId: string = newId()): Promise<EventEnvelope> {
  const transport = embeddedTransport(createLogger('test-events', 'silent'));
  const envelope: EventEnvelope = { id: messageId, occurredAt: new Date().toISOString(), ...event };
  const [outcome] = await transport.publish([
    { messageId: envelope.id, routingKey: envelope.type, body: Buffer.from(JSON.stringify(envelope)) },
  ]);
  if (!outcome.confirmed) throw new Error(`${event.type} was not delivered: ${outcome.reason}`);
  const deadLetters = transport.deadLetters.filter((dead) => dead.message.messageId === envelope.id);
  if (deadLetters.length > 0)
    throw new Error(`${event.type} was dead-lettered by ${deadLetters.map((dead) => dead.subgraph).join(', ')}`);
  return envelope;
}

/** A transport reliable-event suites run on: in-process over libsql, RabbitMQ over MariaDB. */
export interface TransportCase {
  kind: 'embedded' | 'amqp';
  database: DatabaseKind;
  skip: string | false;
}

/** Both transports, RabbitMQ's behind the one services gate (CI fails rather than skips it). */
export function transportCasesUnderTest(): TransportCase[] {
  return [
    { kind: 'embedded', database: 'libsql', skip: false },
    { kind: 'amqp', database: 'mysql', skip: servicesUnderTest(['MariaDB', 'RabbitMQ']) },
  ];
}

/**
 * The case's transport in the test environment's broker namespace; RabbitMQ dead-letters after 3
 * deliveries, requeued 10–50 ms apart, so a failing message settles within a test.
 */
export function transportUnderTest(
  kind: TransportCase['kind'],
  env: Record<string, string>,
  logger: Logger,
): EventTransport {
  if (kind === 'embedded') return new EmbeddedTransport(logger);
  const options = { deliveryLimit: 3, requeueDelayMs: 10, requeueDelayMaxMs: 50 };
  return new AmqpTransport(
    { ...DEFAULT_AMQP_OPTIONS, ...options, urls: env.AMQP_URL.split(','), names: brokerNames(env.EVENTS_NAMESPACE) },
    logger,
  );
}
