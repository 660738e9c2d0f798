/**
 * The broker names of one environment. The namespace (default `wanxin`) lets several environments,
 * or test runs, share a broker without seeing each other's events.
 */
export interface BrokerNames {
  /** Topic exchange every event is published to; routing key = event type. */
  eventsExchange: string;
  /** Where a queue sends what it gives up on. */
  deadLetterExchange: string;
  consumerQueue(subgraph: string): string;
  deadLetterQueue(subgraph: string): string;
}

export function brokerNames(namespace: string): BrokerNames {
  return {
    eventsExchange: `${namespace}.events`,
    deadLetterExchange: `${namespace}.dlx`,
    consumerQueue: (subgraph) => `${namespace}.${subgraph}`,
    deadLetterQueue: (subgraph) => `${namespace}.${subgraph}.dead`,
  };
}

/** One outbox row on its way to the broker. */
export interface OutgoingMessage {
  messageId: string;
  routingKey: string;
  body: Buffer;
}

/**
 * Confirmed means the broker took responsibility for it; anything else leaves the row pending.
 * `unroutable` marks a refusal because no queue is bound to the routing key (RabbitMQ's return); `nacked`
 * one the broker nacked (e.g. its queue's leader died), after which the channel is not to be trusted.
 */
export type PublishOutcome =
  { confirmed: true } | { confirmed: false; reason: string; unroutable?: boolean; nacked?: true };

export interface Delivery {
  messageId: string;
  routingKey: string;
  body: Buffer;
  /** How many times this message was delivered before (0 on first delivery, when the broker tells). */
  redeliveries: number;
}

/** What the consumer decided: ack (done or duplicate), requeue (try again later), reject (dead-letter now). */
export type DeliveryVerdict = 'ack' | 'requeue' | 'reject';

export type DeliveryHandler = (delivery: Delivery) => Promise<DeliveryVerdict>;

/** A subgraph's consumption: its queue, the routing keys bound to it, and what handles each delivery. */
export interface ConsumerSpec {
  subgraph: string;
  routingKeys: readonly string[];
  handle: DeliveryHandler;
}

/** Moves messages between subgraphs: RabbitMQ in production, in-process under `npm start`. */
export interface EventTransport {
  readonly kind: 'amqp' | 'embedded';
  /** Publishes in order; resolves with one outcome per message once each is confirmed or has failed. */
  publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]>;
  /** Registers a consumer before `start()`; for AMQP its queue, bindings and consumer come back after every reconnect. */
  consume(spec: ConsumerSpec): void;
  start(): Promise<void>;
  close(): Promise<void>;
}
