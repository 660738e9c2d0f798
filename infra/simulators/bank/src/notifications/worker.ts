import { LockMode } from '@mikro-orm/core';
import { assert, forkEntityManager, WakeLoop, type Database, type DatabaseKind, type Logger } from '@wanxin/platform';
import { NOTIFICATION_RETRY_DELAYS_MS, notificationRetryDelayMs } from '../domain/notification-schedule';
import { OutgoingNotification } from '../entities/outgoing-notification.entity';
import { NOTIFICATION_ACKNOWLEDGEMENT } from '@wanxin/platform/bank-protocol';

export interface NotificationWorkerOptions {
  notifyUrl: string;
  /** BANK_NOTIFY_SCHEDULE_SCALE. */
  scheduleScale: number;
  databaseKind: DatabaseKind;
}

/** Notifications claimed and posted per pass. */
export const NOTIFICATION_BATCH_MAX = 50;
/** One delivery may take this long before it counts as failed. */
export const NOTIFICATION_TIMEOUT_MS = 10_000;
/** A claim keeps other bank replicas off a notification while it is being posted. */
const LEASE_MS = 3 * NOTIFICATION_TIMEOUT_MS;
/** The agent's answer is read up to this size; "OK" is all that is expected. */
const ANSWER_BYTES_MAX = 1024;
/** Passes that drain a backlog back to back before yielding to the timer. */
const PASSES_PER_WAKE_MAX = 100;

/** Poll at the schedule's shortest delay (15 s × scale), within 10 ms and 1 s. */
export function pollIntervalMs(scheduleScale: number): number {
  return Math.min(1000, Math.max(10, Math.round(NOTIFICATION_RETRY_DELAYS_MS[0] * scheduleScale)));
}

type Delivery = { delivered: true } | { delivered: false; reason: string };

/**
 * Delivers the bank's signed notifications to the agent: a pass claims due PENDING rows (leasing them,
 * on MariaDB with SKIP LOCKED so replicas take disjoint rows), posts each body as JSON, and marks it
 * DELIVERED only when the agent answers exactly OK. A failure waits the next delay of the schedule
 * (domain/notification-schedule.ts); after the last one the row is GAVE_UP and logged. Delivery is at
 * least once: the agent must treat a repeated notification (same requestNo) as already handled.
 */
export class NotificationWorker {
  private readonly loop: WakeLoop;
  /** Aborts deliveries in flight when the bank stops; their leases expire and they go again later. */
  private readonly stopping = new AbortController();
  private readonly pollMs: number;

  constructor(
    private readonly orm: Database,
    private readonly options: NotificationWorkerOptions,
    private readonly logger: Logger,
  ) {
    assert(options.scheduleScale > 0, 'the notification schedule scale must be positive');
    this.pollMs = pollIntervalMs(options.scheduleScale);
    this.loop = new WakeLoop(
      () => this.drain(),
      this.pollMs,
      (error) => logger.error({ err: error }, 'notification pass failed'),
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
    for (let pass = 0; pass < PASSES_PER_WAKE_MAX && !this.loop.isStopped; pass += 1) {
      if ((await this.runPass()) < NOTIFICATION_BATCH_MAX) return;
    }
  }

  /** One pass; returns how many notifications it claimed. */
  async runPass(now: Date = new Date()): Promise<number> {
    const rows = await this.claim(now);
    const deliveries = await Promise.all(rows.map((row) => this.deliver(row)));
    // Stopped mid-delivery: an aborted post is no failed attempt; the lease brings the rows back.
    if (this.loop.isStopped) return rows.length;
    for (const [index, row] of rows.entries()) await this.settle(row, deliveries[index]);
    return rows.length;
  }

  private async claim(now: Date): Promise<OutgoingNotification[]> {
    const mysql = this.options.databaseKind === 'mysql';
    return forkEntityManager(this.orm).transactional(async (tx) => {
      const due = await tx.find(
        OutgoingNotification,
        { status: 'PENDING', nextAttemptAt: { $lte: now } },
        {
          orderBy: { nextAttemptAt: 'asc' },
          limit: NOTIFICATION_BATCH_MAX,
          ...(mysql ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}),
        },
      );
      if (due.length > 0) {
        await tx.nativeUpdate(
          OutgoingNotification,
          { id: { $in: due.map((row) => row.id) } },
          { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
        );
      }
      return due;
    });
  }

  private async deliver(row: OutgoingNotification): Promise<Delivery> {
    try {
      const response = await fetch(this.options.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: row.body,
        signal: AbortSignal.any([AbortSignal.timeout(NOTIFICATION_TIMEOUT_MS), this.stopping.signal]),
      });
      const answer = (await response.text()).slice(0, ANSWER_BYTES_MAX);
      if (response.ok && answer.trim() === NOTIFICATION_ACKNOWLEDGEMENT) return { delivered: true };
      return { delivered: false, reason: `HTTP ${response.status}: ${JSON.stringify(answer.slice(0, 100))}` };
    } catch (error) {
      return { delivered: false, reason: (error as Error).message };
    }
  }

  private async settle(row: OutgoingNotification, delivery: Delivery): Promise<void> {
    const em = forkEntityManager(this.orm);
    const attempts = row.attempts + 1;
    if (delivery.delivered) {
      await em.nativeUpdate(
        OutgoingNotification,
        { id: row.id },
        { status: 'DELIVERED', attempts, deliveredAt: new Date(), lastError: null },
      );
      return;
    }
    const delayMs = notificationRetryDelayMs(attempts, this.options.scheduleScale);
    const lastError = delivery.reason.slice(0, 500);
    if (delayMs === null) {
      await em.nativeUpdate(OutgoingNotification, { id: row.id }, { status: 'GAVE_UP', attempts, lastError });
      this.logger.error(
        { requestNo: row.requestNo, attempts, reason: delivery.reason },
        'notification GAVE_UP: the agent never acknowledged it',
      );
      return;
    }
    await em.nativeUpdate(
      OutgoingNotification,
      { id: row.id },
      { attempts, lastError, nextAttemptAt: new Date(Date.now() + delayMs) },
    );
    this.logger.warn(
      { requestNo: row.requestNo, attempts, reason: delivery.reason, retryInMs: delayMs },
      'notification not acknowledged, will retry',
    );
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
  }
}
