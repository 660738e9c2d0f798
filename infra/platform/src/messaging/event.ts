import { assert } from '../assert';

/** What an event payload may hold: JSON only, so amounts travel as decimal fen strings, never floats. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `<subgraph>.<aggregate>.<event>`, e.g. `loans.loan.disbursed`; it is also the routing key. */
export type EventType = `${string}.${string}.${string}`;
const EVENT_TYPE_PATTERN = /^[a-z]+\.[a-z-]+\.[a-z-]+$/;

/** One kind of event, declared once in the publishing subgraph's `events/`. */
export interface EventDefinition<TPayload extends JsonObject> {
  type: EventType;
  version: number;
  /** Phantom field carrying the payload type; never set. */
  readonly payloadType?: TPayload;
}

export interface EventOptions {
  /**
   * A notification (for live views, dashboards) that may have no consumer bound yet: when the broker
   * returns it as unroutable it counts as delivered instead of being retried toward DEAD, so it never
   * holds back the later events of its aggregate. Events that carry an effect leave this false.
   */
  mayGoUnheard?: boolean;
}

/** Event types whose unroutable return is fine; filled as the publishing subgraph's events/ load. */
const eventsThatMayGoUnheard = new Set<string>();

export function mayGoUnheard(type: string): boolean {
  return eventsThatMayGoUnheard.has(type);
}

export function defineEvent<TPayload extends JsonObject>(
  type: EventType,
  version: number,
  options: EventOptions = {},
): EventDefinition<TPayload> {
  assert(EVENT_TYPE_PATTERN.test(type), `event type must be <subgraph>.<aggregate>.<event>, got ${type}`);
  assert(Number.isInteger(version) && version >= 1, `event version must be a positive integer, got ${version}`);
  if (options.mayGoUnheard) eventsThatMayGoUnheard.add(type);
  return { type, version };
}

/** The message on the wire: the same fields in the outbox row, the AMQP body and the inbox. */
export interface EventEnvelope<TPayload extends JsonObject = JsonObject> {
  id: string;
  type: EventType;
  version: number;
  occurredAt: string;
  aggregateId: string;
  payload: TPayload;
}

/** Reads an envelope from untrusted bytes; null when it is not one (such a message is dead-lettered). */
export function decodeEnvelope(body: Buffer): EventEnvelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const envelope = parsed as Record<string, unknown>;
  const valid =
    typeof envelope.id === 'string' &&
    typeof envelope.type === 'string' &&
    EVENT_TYPE_PATTERN.test(envelope.type) &&
    Number.isInteger(envelope.version) &&
    typeof envelope.occurredAt === 'string' &&
    typeof envelope.aggregateId === 'string' &&
    typeof envelope.payload === 'object' &&
    envelope.payload !== null &&
    !Array.isArray(envelope.payload);
  return valid ? (envelope as unknown as EventEnvelope) : null;
}
