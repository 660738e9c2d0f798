import type { Logger } from '../logger';
import type { ConsumerSpec, Delivery, EventTransport, OutgoingMessage, PublishOutcome } from './transport';

/** Deliveries of one message before it is dead-lettered, as RabbitMQ's x-delivery-limit. */
const EMBEDDED_DELIVERY_LIMIT = 5;
/** Dead letters kept in memory for inspection; the oldest go first. */
const EMBEDDED_DEAD_LETTERS_MAX = 1000;

function matchesRoutingKey(pattern: string, routingKey: string): boolean {
  const expression = pattern
    .split('.')
    .map((word) => (word === '#' ? '.*' : word === '*' ? '[^.]+' : word.replace(/[-]/g, '\\-')))
    .join('\\.');
  return new RegExp(`^${expression}$`).test(routingKey);
}

/**
 * The in-process transport for `npm start`: the same outbox, relay, inbox and handlers as RabbitMQ,
 * without a broker. A publish is confirmed only once every bound consumer has acked (or dead-lettered)
 * the message, so the outbox row stays pending until the effect is committed: a crash loses nothing.
 */
export class EmbeddedTransport implements EventTransport {
  readonly kind = 'embedded' as const;
  private readonly consumers: ConsumerSpec[] = [];
  readonly deadLetters: { subgraph: string; message: OutgoingMessage }[] = [];

  constructor(private readonly logger: Logger) {}

  consume(spec: ConsumerSpec): void {
    this.consumers.push(spec);
  }

  async start(): Promise<void> {}

  async publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const outcomes: PublishOutcome[] = [];
    for (const message of messages) outcomes.push(await this.deliverToAll(message));
    return outcomes;
  }

  private async deliverToAll(message: OutgoingMessage): Promise<PublishOutcome> {
    const bound = this.consumers.filter((spec) =>
      spec.routingKeys.some((key) => matchesRoutingKey(key, message.routingKey)),
    );
    // Like `mandatory` on RabbitMQ: a message nobody would receive is not confirmed.
    if (bound.length === 0)
      return { confirmed: false, reason: `unroutable: no consumer for ${message.routingKey}`, unroutable: true };
    for (const spec of bound) {
      const outcome = await this.deliver(spec, message);
      if (!outcome.confirmed) return outcome;
    }
    return { confirmed: true };
  }

  private async deliver(spec: ConsumerSpec, message: OutgoingMessage): Promise<PublishOutcome> {
    for (let redeliveries = 0; redeliveries < EMBEDDED_DELIVERY_LIMIT; redeliveries += 1) {
      const delivery: Delivery = {
        messageId: message.messageId,
        routingKey: message.routingKey,
        body: message.body,
        redeliveries,
      };
      let verdict;
      try {
        verdict = await spec.handle(delivery);
      } catch (error) {
        // The consumer could not even decide (its database is down): try again on the next relay pass.
        return { confirmed: false, reason: `consumer ${spec.subgraph} failed: ${(error as Error).message}` };
      }
      if (verdict === 'ack') return { confirmed: true };
      if (verdict === 'reject') break;
    }
    this.deadLetter(spec.subgraph, message);
    return { confirmed: true };
  }

  private deadLetter(subgraph: string, message: OutgoingMessage): void {
    this.logger.error(
      { subgraph, messageId: message.messageId, routingKey: message.routingKey },
      'event dead-lettered',
    );
    this.deadLetters.push({ subgraph, message });
    if (this.deadLetters.length > EMBEDDED_DEAD_LETTERS_MAX) this.deadLetters.shift();
  }

  /** Several subgraphs share the process's transport; each one's close only removes its consumers. */
  async close(): Promise<void> {}

  removeConsumer(spec: ConsumerSpec): void {
    const index = this.consumers.indexOf(spec);
    if (index >= 0) this.consumers.splice(index, 1);
  }
}
