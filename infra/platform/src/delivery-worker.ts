import { Index, LockMode, PrimaryKey, Property, type EntityClass, type FilterQuery } from '@mikro-orm/core';
import { assert } from './assert';
import { forkEntityManager, type Database, type DatabaseKind } from './db';
import type { Logger } from './logger';
import { WakeLoop } from './wake-loop';

/** The columns a stored outgoing message needs to be delivered by DeliveryWorker. */
export interface DeliveryRow {
  id: string;
  attempts: number;
  nextAttemptAt: Date;
  status: string;
  lastError: string | null;
  deliveredAt: Date | null;
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'GAVE_UP';

/**
 * The DeliveryRow columns as MikroORM properties: an entity of outgoing messages extends it and adds what
 * it delivers. Indexed for the worker's scan of due rows.
 */
@Index({ properties: ['status', 'nextAttemptAt'] })
export abstract class DeliveryRowEntity implements DeliveryRow {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'Date', length: 3 })
  nextAttemptAt!: Date;

  // No initializer: MikroORM would turn it into a string column default, which it compares unquoted.
  @Property({ type: 'string', length: 10 })
  status!: DeliveryStatus;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  @Property({ type: 'Date', length: 3, nullable: true })
  deliveredAt: Date | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}

export type DeliveryOutcome = { delivered: true } | { delivered: false; reason: string };

/** Rows claimed and posted per pass. */
export const DELIVERY_BATCH_MAX = 50;
/** One delivery may take this long before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A claim keeps other replicas off a row while it is being posted. */
const LEASE_MS = 3 * DELIVERY_TIMEOUT_MS;
/** The receiver's answer is read up to this size. */
const ANSWER_BYTES_MAX = 1024;
/** Passes that drain a backlog back to back before yielding to the timer. */
const PASSES_PER_WAKE_MAX = 100;

/** A filter over the DeliveryRow columns of any such entity. */
function where<Row>(filter: object): FilterQuery<Row> {
  return filter as unknown as FilterQuery<Row>;
}

export interface DeliveryWorkerOptions<Row extends DeliveryRow> {
  entity: EntityClass<Row>;
  /** What is delivered, for the logs: "notification", "callback". */
  noun: string;
  /** Names a row in the logs, e.g. `{ requestNo }`. */
  describe(row: Row): Record<string, unknown>;
  /** Posts one row; `signal` aborts it when the worker stops. */
  deliver(row: Row, signal: AbortSignal): Promise<DeliveryOutcome>;
  /** The wait after `attemptsMade` failed attempts, or null to give up. */
  retryDelayMs(attemptsMade: number): number | null;
  pollMs: number;
  databaseKind: DatabaseKind;
  /** While true nothing is delivered (a simulated outage). */
  paused?(): boolean;
  /** Housekeeping before each wake's passes. */
  beforePasses?(): Promise<void>;
}

/**
 * POSTs `body` as JSON to `url`, within DELIVERY_TIMEOUT_MS (or until `signal` aborts); delivered when
 * `acknowledged` accepts the HTTP status and the answer's text.
 */
export async function postDelivery(
  url: string,
  body: string,
  signal: AbortSignal,
  acknowledged: (status: number, answer: string) => boolean,
): Promise<DeliveryOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), signal]),
    });
    const answer = (await response.text()).slice(0, ANSWER_BYTES_MAX);
    if (acknowledged(response.status, answer)) return { delivered: true };
    return { delivered: false, reason: `HTTP ${response.status}: ${JSON.stringify(answer.slice(0, 100))}` };
  } catch (error) {
    return { delivered: false, reason: (error as Error).message };
  }
}

/**
 * Delivers stored outgoing messages (the bank's notifications, the providers' callbacks): a pass claims
 * due PENDING rows (leasing them; on MariaDB with SKIP LOCKED so replicas take disjoint rows), delivers
 * each, and marks it DELIVERED when acknowledged. A failure waits the next delay of the schedule; after
 * the last one the row is GAVE_UP and logged. Delivery is at least once: receivers treat a repeat as
 * already handled. At stop, rows in flight are handed back at once instead of waiting out their lease.
 */
export class DeliveryWorker<Row extends DeliveryRow> {
  private readonly loop: WakeLoop;
  private readonly stopping = new AbortController();
  /** Claimed rows not yet settled. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly orm: Database,
    private readonly options: DeliveryWorkerOptions<Row>,
    private readonly logger: Logger,
  ) {
    assert(options.pollMs > 0, 'the poll interval must be positive');
    this.loop = new WakeLoop(
      () => this.drain(),
      options.pollMs,
      (error) => logger.error({ err: error }, `${options.noun} pass failed`),
    );
  }

  start(): void {
    this.loop.wake();
  }

  /** Runs a pass soon; passes never overlap. */
  wake(): void {
    this.loop.wake();
  }

  private async drain(): Promise<void> {
    await this.options.beforePasses?.();
    if (this.options.paused?.() === true) return;
    for (let pass = 0; pass < PASSES_PER_WAKE_MAX && !this.loop.isStopped; pass += 1) {
      if ((await this.runPass(new Date())) < DELIVERY_BATCH_MAX) return;
    }
  }

  /** One pass; returns how many rows it claimed. */
  private async runPass(now: Date): Promise<number> {
    const rows = await this.claim(now);
    const deliveries = await Promise.all(rows.map((row) => this.options.deliver(row, this.stopping.signal)));
    // Stopped mid-delivery: an aborted post is no failed attempt; stop() hands the rows back.
    if (this.loop.isStopped) return rows.length;
    for (const [index, row] of rows.entries()) await this.settle(row, deliveries[index]);
    return rows.length;
  }

  private async claim(now: Date): Promise<Row[]> {
    const mysql = this.options.databaseKind === 'mysql';
    return forkEntityManager(this.orm).transactional(async (tx) => {
      const due = await tx.find(this.options.entity, where<Row>({ status: 'PENDING', nextAttemptAt: { $lte: now } }), {
        orderBy: { nextAttemptAt: 'asc' } as never,
        limit: DELIVERY_BATCH_MAX,
        ...(mysql ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}),
      });
      for (const row of due) this.inFlight.add(row.id);
      if (due.length > 0) {
        await tx.nativeUpdate(this.options.entity, where<Row>({ id: { $in: due.map((row) => row.id) } }), {
          nextAttemptAt: new Date(now.getTime() + LEASE_MS),
        } as never);
      }
      return due as Row[];
    });
  }

  private async settle(row: Row, delivery: DeliveryOutcome): Promise<void> {
    this.inFlight.delete(row.id);
    const em = forkEntityManager(this.orm);
    const attempts = row.attempts + 1;
    // Only the claim this pass holds: the row may have been reset meanwhile (a re-ask: attempts back to 0).
    const claimed = where<Row>({ id: row.id, attempts: row.attempts, status: 'PENDING' });
    const update = (changes: Partial<DeliveryRow>) => em.nativeUpdate(this.options.entity, claimed, changes as never);
    if (delivery.delivered) {
      await update({ status: 'DELIVERED', attempts, deliveredAt: new Date(), lastError: null });
      return;
    }
    const delayMs = this.options.retryDelayMs(attempts);
    const lastError = delivery.reason.slice(0, 500);
    const described = { ...this.options.describe(row), attempts, reason: delivery.reason };
    if (delayMs === null) {
      await update({ status: 'GAVE_UP', attempts, lastError });
      this.logger.error(described, `${this.options.noun} GAVE_UP: never acknowledged`);
      return;
    }
    await update({ attempts, lastError, nextAttemptAt: new Date(Date.now() + delayMs) });
    this.logger.warn({ ...described, retryInMs: delayMs }, `${this.options.noun} not acknowledged, will retry`);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
    if (this.inFlight.size === 0) return;
    // Aborted deliveries are no failed attempts: due again at once for whoever runs next.
    await forkEntityManager(this.orm).nativeUpdate(
      this.options.entity,
      where<Row>({ id: { $in: [...this.inFlight] }, status: 'PENDING' }),
      { nextAttemptAt: new Date() } as never,
    );
    this.inFlight.clear();
  }
}
