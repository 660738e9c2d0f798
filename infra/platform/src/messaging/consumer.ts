import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { assert } from '../assert';
import { forkEntityManager, type Database } from '../db';
import { insertRows } from '../raw-sql';
import type { Logger } from '../logger';
import { decodeEnvelope, type EventEnvelope, type EventType, type JsonObject } from './event';
import { InboxMessage } from './inbox.entity';
import type { MessagingMetrics } from './metrics';
import type { ConsumerSpec, Delivery, DeliveryVerdict } from './transport';
import { decodePayload, type EventContract } from '../contracts';
import { HANDLER_RETRY, retrying } from '../retry';

/**
 * A consumer-side view of an event: the routing key and version it reads, and the contract its payload is
 * decoded through (messages are input like any other; a payload its schema refuses is dead-lettered).
 */
export interface EventSubscription<TPayload> {
  /** Unique per subgraph; `(subgraph.name, messageId)` is the inbox key. */
  name: string;
  type: EventType;
  version: number;
  /** The event's contract (`@wanxin/platform/contracts`): the payload is decoded through it, a refusal logged. */
  contract: EventContract<TPayload & JsonObject>;
  /** Runs inside the transaction that also records the inbox row: effects happen exactly once. */
  handle(em: EntityManager, payload: TPayload, envelope: EventEnvelope): Promise<void>;
  /**
   * After `handle`'s transaction committed (not for a duplicate): e.g. wakes a job to act on what it stored
   * now rather than at its next poll. Best effort: the job's poll still catches up after a crash.
   */
  afterCommit?(payload: TPayload): void;
}

/** A subscription to `contract`'s events: the type and version are the contract's, the payload its type. */
export function subscribeTo<TPayload extends JsonObject>(
  contract: EventContract<TPayload>,
  name: string,
  handle: EventSubscription<TPayload>['handle'],
  afterCommit?: EventSubscription<TPayload>['afterCommit'],
): EventSubscription<TPayload> {
  return { name, type: contract.type, version: contract.version, contract, handle, afterCommit };
}

/** Dispatches a subgraph's deliveries to its subscriptions through the inbox. */
export class InboxConsumer {
  private readonly byType = new Map<string, EventSubscription<unknown>[]>();
  /** Deliveries of one aggregate are handled one after another, in arrival order. */
  private readonly aggregateQueues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly subgraph: string,
    private readonly orm: Database,
    subscriptions: readonly EventSubscription<any>[],
    private readonly logger: Logger,
    private readonly metrics: MessagingMetrics,
  ) {
    for (const subscription of subscriptions) {
      const list = this.byType.get(subscription.type) ?? [];
      assert(!list.some((other) => other.name === subscription.name), `duplicate subscription ${subscription.name}`);
      const { contract, type, version } = subscription;
      assert(
        contract.type === type && contract.version === version,
        `${subscription.name} reads ${type} v${version} through ${contract.type} v${contract.version}`,
      );
      list.push(subscription);
      this.byType.set(subscription.type, list);
    }
  }

  spec(): ConsumerSpec {
    return {
      subgraph: this.subgraph,
      routingKeys: [...this.byType.keys()],
      handle: (delivery) => this.handle(delivery),
    };
  }

  private async handle(delivery: Delivery): Promise<DeliveryVerdict> {
    const envelope = decodeEnvelope(delivery.body);
    if (envelope === null || envelope.id !== delivery.messageId) {
      this.logger.error(
        { messageId: delivery.messageId, routingKey: delivery.routingKey },
        'undecodable event: dead-lettered',
      );
      this.metrics.dead.inc({ stage: 'consumer' });
      return 'reject';
    }
    const previous = this.aggregateQueues.get(envelope.aggregateId) ?? Promise.resolve();
    const current = previous.then(() => this.handleInOrder(envelope));
    const settled = current.catch(() => undefined);
    this.aggregateQueues.set(envelope.aggregateId, settled);
    void settled.then(() => {
      if (this.aggregateQueues.get(envelope.aggregateId) === settled) this.aggregateQueues.delete(envelope.aggregateId);
    });
    return current;
  }

  private async handleInOrder(envelope: EventEnvelope): Promise<DeliveryVerdict> {
    const subscriptions = (this.byType.get(envelope.type) ?? []).filter(
      (subscription) => subscription.version === envelope.version,
    );
    if (subscriptions.length === 0) {
      this.logger.error(
        { messageId: envelope.id, type: envelope.type, version: envelope.version },
        'no handler for this event version: dead-lettered',
      );
      this.metrics.dead.inc({ stage: 'consumer' });
      return 'reject';
    }
    for (const subscription of subscriptions) {
      const decoded = decodePayload(subscription.contract, envelope.payload);
      if (!decoded.ok) {
        // A payload its schema refuses fails the same way on every delivery: dead-lettered now, never retried.
        const { id: messageId, type } = envelope;
        this.logger.error(
          { messageId, type, subscription: subscription.name, reason: decoded.reason },
          'payload refused by its contract: dead-lettered',
        );
        this.metrics.dead.inc({ stage: 'consumer' });
        return 'reject';
      }
      if (!(await this.handleWithRetries(subscription, decoded.payload, envelope))) return 'requeue';
    }
    return 'ack';
  }

  /**
   * Retries a failing handler in place a few times before giving the message back to the broker: while
   * it retries, later events of the same aggregate wait behind it, so a transient failure does not
   * reorder an aggregate's events.
   */
  private async handleWithRetries(
    subscription: EventSubscription<unknown>,
    payload: unknown,
    envelope: EventEnvelope,
  ): Promise<boolean> {
    try {
      await retrying(HANDLER_RETRY, () => this.handleOnce(subscription, payload, envelope), {
        retryable: () => true,
        onFailure: (error, attempt, willRetry) =>
          this.logger.warn(
            { err: error, messageId: envelope.id, subscription: subscription.name, attempt },
            willRetry ? 'event handler failed: retrying' : 'event handler failed: will be redelivered',
          ),
      });
      return true;
    } catch {
      return false;
    }
  }

  private async handleOnce(
    subscription: EventSubscription<unknown>,
    payload: unknown,
    envelope: EventEnvelope,
  ): Promise<void> {
    const consumer = `${this.subgraph}.${subscription.name}`;
    const em = forkEntityManager(this.orm);
    try {
      await em.transactional(async (tx) => {
        await insertRows(tx, InboxMessage, [
          { consumer, messageId: envelope.id, type: envelope.type, handledAt: new Date() },
        ]);
        await subscription.handle(tx, payload, envelope);
      });
      this.metrics.consumed.inc({ type: envelope.type });
      subscription.afterCommit?.(payload);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || !(await this.alreadyHandled(consumer, envelope.id)))
        throw error;
      this.metrics.duplicates.inc({ type: envelope.type });
    }
  }

  /** A unique violation is a duplicate only when the inbox row is there (not a business key of the handler). */
  private async alreadyHandled(consumer: string, messageId: string): Promise<boolean> {
    const em = forkEntityManager(this.orm);
    return (await em.count(InboxMessage, { consumer, messageId })) > 0;
  }
}
