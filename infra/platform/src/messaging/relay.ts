import { IsolationLevel, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { MySqlDriver } from '@mikro-orm/mysql';
import { assert } from '../assert';
import { forkEntityManager, type Database } from '../db';
import type { Logger } from '../logger';
import { selectRows } from '../raw-sql';
import { WakeLoop } from '../wake-loop';
import { mayGoUnheard } from './event';
import type { MessagingMetrics } from './metrics';
import { OutboxMessage } from './outbox.entity';
import type { EventTransport, PublishOutcome } from './transport';

export interface RelayOptions {
  /** Rows claimed per pass. */
  batchSize: number;
  /** Fallback poll when nothing woke the relay (a commit in another process, a retry coming due). */
  pollIntervalMs: number;
  /** A row that failed this many times is DEAD: kept, counted, logged, replayable. */
  attemptsMax: number;
  /** Backoff after the first failure; doubles each attempt up to `retryDelayMaxMs`. */
  retryDelayMs: number;
  retryDelayMaxMs: number;
  /** How long a claim holds rows from other relays; longer than any publish may take. */
  leaseMs: number;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  batchSize: 200,
  pollIntervalMs: 1000,
  attemptsMax: 10,
  retryDelayMs: 500,
  retryDelayMaxMs: 60_000,
  leaseMs: 30_000,
};

export function retryDelayMs(options: RelayOptions, attempts: number): number {
  assert(attempts >= 1, 'a retry follows at least one attempt');
  return Math.min(options.retryDelayMaxMs, options.retryDelayMs * 2 ** Math.min(attempts - 1, 30));
}

/**
 * Publishes outbox rows. A pass claims due rows (on MySQL with `FOR UPDATE SKIP LOCKED`, so relays
 * in several replicas never take the same row) by leasing them, publishes them outside any transaction,
 * then marks the confirmed ones SENT and reschedules the rest with backoff. Only the oldest pending
 * row of each aggregate is eligible, so an aggregate's events leave in order. A relay that dies after
 * publishing leaves its rows pending: they go again when the lease ends and the inbox absorbs the copy.
 */
export class OutboxRelay {
  private readonly loop: WakeLoop;

  constructor(
    private readonly orm: Database,
    private readonly transport: EventTransport,
    private readonly options: RelayOptions,
    private readonly logger: Logger,
    private readonly metrics: MessagingMetrics,
  ) {
    assert(options.batchSize >= 1 && options.batchSize <= 10_000, 'relay batch size out of range');
    assert(options.leaseMs > 0, 'the relay lease must be positive');
    this.loop = new WakeLoop(() => this.drain(), options.pollIntervalMs, (error) => logger.error({ err: error }, 'outbox relay pass failed'));
  }

  start(): void {
    this.loop.wake();
  }

  /** Runs a pass soon; called after a commit that wrote outbox rows. Passes never overlap. */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Passes until one claims nothing. Not "until a short batch": an aggregate's next row becomes
   * eligible only once this pass has marked its predecessor SENT, so a busy aggregate would otherwise
   * drain at one row per poll interval. Failed rows are rescheduled into the future, so this ends.
   */
  private async drain(): Promise<void> {
    for (let pass = 0; pass < 1000 && !this.loop.isStopped; pass += 1) {
      if ((await this.runPass()) === 0) return;
    }
  }

  /** One pass; returns how many rows it claimed. Exposed for tests that drive the relay by hand. */
  async runPass(now: Date = new Date()): Promise<number> {
    const rows = await this.claim(now);
    if (rows.length === 0) return 0;
    let outcomes: PublishOutcome[];
    try {
      outcomes = await this.transport.publish(rows.map((row) => ({ messageId: row.id, routingKey: row.type, body: Buffer.from(row.body) })));
    } catch (error) {
      outcomes = rows.map(() => ({ confirmed: false, reason: (error as Error).message }));
    }
    assert(outcomes.length === rows.length, 'transport must answer for every message');
    await this.settle(rows, outcomes.map((outcome, index) => (!outcome.confirmed && outcome.unroutable && mayGoUnheard(rows[index].type) ? { confirmed: true } : outcome)));
    return rows.length;
  }

  private async claim(now: Date): Promise<OutboxMessage[]> {
    const em = forkEntityManager(this.orm);
    // SKIP LOCKED lets relays of several replicas claim disjoint rows; SQLite has one writer anyway.
    const mysql = this.orm.em.getDriver() instanceof MySqlDriver;
    // READ COMMITTED: no gap locks, so a claim never blocks (or deadlocks with) business transactions
    // inserting new outbox rows; SKIP LOCKED still keeps two relays off the same rows.
    return em.transactional(async (tx) => {
      const candidates = await tx.find(
        OutboxMessage,
        { status: 'PENDING', nextAttemptAt: { $lte: now } },
        { orderBy: { id: 'asc' }, limit: this.options.batchSize, ...(mysql ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}) },
      );
      if (candidates.length === 0) return [];
      const oldestByAggregate = await this.oldestPendingByAggregate(tx, [...new Set(candidates.map((row) => row.aggregateId))]);
      const eligible = candidates.filter((row) => oldestByAggregate.get(row.aggregateId) === row.id);
      const leaseUntil = new Date(now.getTime() + this.options.leaseMs);
      if (eligible.length > 0) {
        await tx.nativeUpdate(OutboxMessage, { id: { $in: eligible.map((row) => row.id) } }, { nextAttemptAt: leaseUntil });
      }
      return eligible;
    }, mysql ? { isolationLevel: IsolationLevel.READ_COMMITTED } : {});
  }

  private async oldestPendingByAggregate(em: EntityManager, aggregateIds: string[]): Promise<Map<string, string>> {
    const placeholders = aggregateIds.map(() => '?').join(', ');
    const rows = await selectRows<{ aggregate_id: string; oldest: string }>(
      em,
      `select aggregate_id, min(id) as oldest from outbox where status = 'PENDING' and aggregate_id in (${placeholders}) group by aggregate_id`,
      aggregateIds,
    );
    return new Map(rows.map((row) => [row.aggregate_id, row.oldest]));
  }

  private async settle(rows: OutboxMessage[], outcomes: PublishOutcome[]): Promise<void> {
    const em = forkEntityManager(this.orm);
    const now = new Date();
    const sentIds = rows.filter((_, index) => outcomes[index].confirmed).map((row) => row.id);
    if (sentIds.length > 0) await em.nativeUpdate(OutboxMessage, { id: { $in: sentIds } }, { status: 'SENT', sentAt: now });
    this.metrics.published.inc(sentIds.length);
    for (const [index, row] of rows.entries()) {
      const outcome = outcomes[index];
      if (outcome.confirmed) continue;
      const attempts = row.attempts + 1;
      const dead = attempts >= this.options.attemptsMax;
      await em.nativeUpdate(OutboxMessage, { id: row.id }, {
        attempts,
        status: dead ? 'DEAD' : 'PENDING',
        lastError: outcome.reason.slice(0, 500),
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(this.options, attempts)),
      });
      if (dead) {
        this.metrics.dead.inc({ stage: 'outbox' });
        this.logger.error({ messageId: row.id, type: row.type, attempts, reason: outcome.reason }, 'outbox row is DEAD');
      } else {
        this.logger.warn({ messageId: row.id, type: row.type, attempts, reason: outcome.reason }, 'publish failed, will retry');
      }
    }
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
