import type { EntityManager } from '@mikro-orm/knex';
import { assert } from '../assert';
import { newId } from '../ids';
import type { EventDefinition, EventEnvelope, JsonObject } from './event';
import { decodePayload, type EventContract } from '../contracts';
import { OUTBOX_BODY_BYTES_MAX, OutboxMessage } from './outbox.entity';

/**
 * Records an event in the outbox. Call it inside the transaction that makes the change the event
 * reports (`em.transactional`): both commit or neither does. The relay publishes it after commit.
 */
export function publishEvent<TPayload extends JsonObject>(
  em: EntityManager,
  definition: EventDefinition<TPayload>,
  aggregateId: string,
  payload: TPayload,
  now: Date = new Date(),
): EventEnvelope<TPayload> {
  const { envelope, row } = outboxRowOf(definition, aggregateId, payload, now);
  em.persist(em.create(OutboxMessage, row));
  return envelope;
}

/** The outbox row of an event, checked against its contract and the body bound, and its envelope. */
export function outboxRowOf<TPayload extends JsonObject>(
  definition: EventDefinition<TPayload>,
  aggregateId: string,
  payload: TPayload,
  now: Date,
): { envelope: EventEnvelope<TPayload>; row: OutboxRow } {
  assert(
    aggregateId.length > 0 && aggregateId.length <= 64,
    `aggregate id must be 1–64 characters, got "${aggregateId}"`,
  );
  if ('schema' in definition) {
    // Checked on every write, not only in tests: a payload its consumers would dead-letter must fail the
    // publisher's transaction instead (a few microseconds per event; the bodies are bounded).
    const decoded = decodePayload(definition as EventContract<TPayload>, payload);
    assert(decoded.ok, `${definition.type} of ${aggregateId} breaks its contract: ${decoded.ok ? '' : decoded.reason}`);
  }
  const envelope: EventEnvelope<TPayload> = {
    id: newId(now.getTime()),
    type: definition.type,
    version: definition.version,
    occurredAt: now.toISOString(),
    aggregateId,
    payload,
  };
  const body = JSON.stringify(envelope);
  // Every list an event carries has a named bound (LOAN_BIDS_MAX bids at most), so a bigger body is a bug.
  const bodyBytes = Buffer.byteLength(body, 'utf8');
  assert(
    bodyBytes <= OUTBOX_BODY_BYTES_MAX,
    `${definition.type} of ${aggregateId} is ${bodyBytes} bytes, above the outbox's ${OUTBOX_BODY_BYTES_MAX}`,
  );
  const row = {
    id: envelope.id,
    type: envelope.type,
    version: envelope.version,
    aggregateId,
    body,
    occurredAt: now,
    status: 'PENDING' as const,
    nextAttemptAt: now,
  };
  return { envelope, row };
}

/** What a new outbox row holds; the relay fills in the rest. */
export type OutboxRow = Pick<
  OutboxMessage,
  'id' | 'type' | 'version' | 'aggregateId' | 'body' | 'occurredAt' | 'status' | 'nextAttemptAt'
>;
