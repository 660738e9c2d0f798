import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { assert } from '../assert';
import { forkEntityManager, type Database } from '../db';
import { insertRows, selectRows, sqlPlaceholders } from '../raw-sql';
import type { Logger } from '../logger';
import { decodeEnvelope, type EventEnvelope, type EventType, type JsonObject } from './event';
import { InboxMessage } from './inbox.entity';
import type { MessagingMetrics } from './metrics';
import { CONSUMER_BATCH_MAX, DEFAULT_CONSUMER_BATCH_MAX } from './options';
import type { ConsumerSpec, Delivery, DeliveryVerdict } from './transport';
import { decodePayload, type EventContract } from '../contracts';
import { GroupCommit } from '../group-commit';
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
  /**
   * Runs inside the transaction that also records the inbox row: effects happen exactly once. `em` is its
   * own unit of work (flushed when it returns), though the transaction may hold other deliveries' too.
   */
  handle(em: EntityManager, payload: TPayload, envelope: EventEnvelope): Promise<void>;
  /**
   * After `handle`'s transaction committed (not for a duplicate): e.g. wakes a job to act on what it stored
   * now rather than at its next poll. Best effort: the job's poll still catches up after a crash.
   */
  afterCommit?(payload: TPayload, envelope: EventEnvelope): void;
  /**
   * Always a transaction of its own, never one shared with other deliveries (see `InboxConsumer`): for a
   * handler whose single effect is already large, so that a batch of them would hold its locks too long.
   */
  ownTransaction?: boolean;
  /**
   * In a batch, `em` is one unit of work shared with the other such handlers next to it in the batch, and
   * flushed once after them: the new rows of all of them go in one multi-row INSERT per table. For
   * a handler that writes through entities and reads nothing another delivery's handler may have changed
   * unflushed (raw SQL does not see unflushed changes). Alone, `em` is its own unit of work as always.
   */
  sharesUnitOfWork?: boolean;
}

/** A subscription that never shares its transaction with other deliveries. */
export function inOwnTransaction<TPayload>(subscription: EventSubscription<TPayload>): EventSubscription<TPayload> {
  return { ...subscription, ownTransaction: true };
}

/** A subscription whose handlers in one batch share its unit of work (see `sharesUnitOfWork`). */
export function sharingUnitOfWork<TPayload>(subscription: EventSubscription<TPayload>): EventSubscription<TPayload> {
  return { ...subscription, sharesUnitOfWork: true };
}

/** Deliveries that may wait for a consumer transaction: one per unacknowledged delivery (prefetch ≤ 10,000). */
const BATCH_WAITING_MAX = 10_000;

/** One decoded delivery for one subscription: what a consumer transaction handles. */
interface InboxItem {
  subscription: EventSubscription<unknown>;
  payload: unknown;
  envelope: EventEnvelope;
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

/**
 * Dispatches a subgraph's deliveries to its subscriptions through the inbox. Deliveries that arrive while
 * a consumer transaction runs wait for the next one, which handles up to `batchMax` of them together: their
 * inbox rows in one statement, each handler in its own unit of work (or, for `sharesUnitOfWork`
 * subscriptions, all of them in one, flushed once), one commit (the fixed cost of a transaction, four round
 * trips and a disk flush, is paid once); the transport acks each after the commit.
 * When anything in it fails (a poison message, a deadlock, a duplicate another replica just committed),
 * the batch rolls back and its deliveries are handled again one at a time, each in its own transaction as
 * with `batchMax` 1: the others commit, the failing one follows the retry and dead-letter policy. A lone
 * delivery, or one of an `ownTransaction` subscription, always goes alone.
 */
export class InboxConsumer {
  private readonly byType = new Map<string, EventSubscription<unknown>[]>();
  /** Deliveries of one aggregate are handled one after another, in arrival order: never two in a batch. */
  private readonly aggregateQueues = new Map<string, Promise<unknown>>();
  private readonly batches: GroupCommit<InboxItem, boolean>;

  constructor(
    private readonly subgraph: string,
    private readonly orm: Database,
    subscriptions: readonly EventSubscription<any>[],
    private readonly logger: Logger,
    private readonly metrics: MessagingMetrics,
    private readonly batchMax: number = DEFAULT_CONSUMER_BATCH_MAX,
  ) {
    assert(
      Number.isInteger(batchMax) && batchMax >= 1 && batchMax <= CONSUMER_BATCH_MAX,
      `consumer batch of ${batchMax}`,
    );
    this.batches = new GroupCommit((items) => this.handleBatch(items), {
      groupsInFlightMax: 1,
      itemsPerGroupMax: batchMax,
      waitingMax: BATCH_WAITING_MAX,
      // Deliveries read from the broker's socket in one turn go in one batch, not the first alone.
      startAfterTurn: true,
    });
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
      if (!(await this.handleItem({ subscription, payload: decoded.payload, envelope }))) return 'requeue';
    }
    return 'ack';
  }

  /** Whether the item was handled (or was a duplicate); false gives the delivery back to the broker. */
  private handleItem(item: InboxItem): Promise<boolean> {
    if (this.batchMax === 1 || item.subscription.ownTransaction === true) return this.handleWithRetries(item);
    return this.batches.offer(item) ?? this.handleWithRetries(item);
  }

  /** One consumer transaction for the items; on any failure, each item alone, in order. Never throws. */
  private async handleBatch(items: InboxItem[]): Promise<boolean[]> {
    if (items.length > 1) {
      try {
        await this.handleTogether(items);
        this.metrics.batches.inc({ outcome: 'committed' });
        return items.map(() => true);
      } catch (error) {
        this.metrics.batches.inc({ outcome: 'split' });
        this.logger.warn({ err: error, deliveries: items.length }, 'event batch failed: handling it one by one');
      }
    }
    const handled: boolean[] = [];
    for (const item of items) handled.push(await this.handleWithRetries(item));
    return handled;
  }

  /** The items' inbox rows and effects in one transaction; ones the inbox already holds are duplicates. */
  private async handleTogether(items: InboxItem[]): Promise<void> {
    const fresh = await forkEntityManager(this.orm).transactional(async (tx) => {
      const seen = await this.inboxKeysAmong(tx, items);
      const unseen = items.filter((item) => !seen.has(this.inboxKey(item)));
      if (unseen.length > 0)
        await insertRows(
          tx,
          InboxMessage,
          unseen.map((item) => this.inboxRow(item)),
        );
      // The unit shared by a run of `sharesUnitOfWork` handlers: opened by the first, flushed after the last.
      let shared: EntityManager | undefined;
      for (const { subscription, payload, envelope } of unseen) {
        if (subscription.sharesUnitOfWork === true) {
          shared ??= tx.fork({ keepTransactionContext: true }) as EntityManager;
          await subscription.handle(shared, payload, envelope);
          continue;
        }
        // The effects before it are written before it runs, in arrival order.
        await shared?.flush();
        shared = undefined;
        // Its own identity map, as when it runs alone; the same transaction.
        const unit = tx.fork({ keepTransactionContext: true }) as EntityManager;
        await subscription.handle(unit, payload, envelope);
        await unit.flush();
      }
      await shared?.flush();
      return unseen;
    });
    for (const item of items) if (!fresh.includes(item)) this.metrics.duplicates.inc({ type: item.envelope.type });
    for (const { subscription, payload, envelope } of fresh) {
      this.metrics.consumed.inc({ type: envelope.type });
      subscription.afterCommit?.(payload, envelope);
    }
  }

  private inboxConsumer(subscription: EventSubscription<unknown>): string {
    return `${this.subgraph}.${subscription.name}`;
  }

  private inboxKey({ subscription, envelope }: InboxItem): string {
    return `${this.inboxConsumer(subscription)} ${envelope.id}`;
  }

  private inboxRow({ subscription, envelope }: InboxItem): InboxMessage {
    const consumer = this.inboxConsumer(subscription);
    return { consumer, messageId: envelope.id, type: envelope.type, handledAt: new Date() };
  }

  /**
   * The inbox keys among the items' that are already recorded: one statement for the batch (≤ 500 items,
   * so both lists fit one statement), a range of the primary key (consumer, message id) per pair.
   */
  private async inboxKeysAmong(em: EntityManager, items: InboxItem[]): Promise<Set<string>> {
    const consumers = [...new Set(items.map((item) => this.inboxConsumer(item.subscription)))];
    const messageIds = [...new Set(items.map((item) => item.envelope.id))];
    const rows = await selectRows<{ consumer: string; message_id: string }>(
      em,
      `select consumer, message_id from inbox where consumer in (${sqlPlaceholders(consumers.length)}) ` +
        `and message_id in (${sqlPlaceholders(messageIds.length)})`,
      [...consumers, ...messageIds],
    );
    return new Set(rows.map((row) => `${row.consumer} ${row.message_id}`));
  }

  /**
   * Retries a failing handler in place a few times before giving the message back to the broker: while
   * it retries, later events of the same aggregate wait behind it, so a transient failure does not
   * reorder an aggregate's events.
   */
  private async handleWithRetries(item: InboxItem): Promise<boolean> {
    const { subscription, envelope } = item;
    try {
      await retrying(HANDLER_RETRY, () => this.handleOnce(item), {
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

  private async handleOnce(item: InboxItem): Promise<void> {
    const { subscription, payload, envelope } = item;
    const row = this.inboxRow(item);
    const em = forkEntityManager(this.orm);
    try {
      await em.transactional(async (tx) => {
        await insertRows(tx, InboxMessage, [row]);
        await subscription.handle(tx, payload, envelope);
      });
      this.metrics.consumed.inc({ type: envelope.type });
      subscription.afterCommit?.(payload, envelope);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || !(await this.alreadyHandled(row))) throw error;
      this.metrics.duplicates.inc({ type: envelope.type });
    }
  }

  /** A unique violation is a duplicate only when the inbox row is there (not a business key of the handler). */
  private async alreadyHandled({ consumer, messageId }: InboxMessage): Promise<boolean> {
    const em = forkEntityManager(this.orm);
    return (await em.count(InboxMessage, { consumer, messageId })) > 0;
  }
}
