import { createLogger } from '../logger';
import { newId } from '../ids';
import { embeddedTransport } from '../messaging/runtime';
import type { EventEnvelope, EventType, JsonObject } from '../messaging/event';

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
 * equal event was delivered before. Resolves once every bound consumer acked it; throws when it was
 * unroutable, could not be handled or was dead-lettered.
 */
export async function deliverEvent(event: TestEvent): Promise<EventEnvelope> {
  const transport = embeddedTransport(createLogger('test-events', 'silent'));
  const envelope: EventEnvelope = { id: newId(), occurredAt: new Date().toISOString(), ...event };
  const [outcome] = await transport.publish([
    { messageId: envelope.id, routingKey: envelope.type, body: Buffer.from(JSON.stringify(envelope)) },
  ]);
  if (!outcome.confirmed) throw new Error(`${event.type} was not delivered: ${outcome.reason}`);
  const deadLetters = transport.deadLetters.filter((dead) => dead.message.messageId === envelope.id);
  if (deadLetters.length > 0)
    throw new Error(`${event.type} was dead-lettered by ${deadLetters.map((dead) => dead.subgraph).join(', ')}`);
  return envelope;
}
