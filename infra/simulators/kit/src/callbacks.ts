import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { assert, forkEntityManager, WakeLoop, type Database, type DatabaseKind, type Logger } from '@wanxin/platform';
import {
  isCallbackAcknowledged,
  MESSAGE_FRESHNESS_MS,
  signProviderJson,
  type ProviderEnvelope,
} from '@wanxin/platform/provider-protocol';
import { callbackRetryDelayMs } from './domain/callback-schedule';
import { ProviderCallback, SeenNonce } from './entities';
import type { EntityManager } from '@wanxin/platform';

/** Callbacks claimed and posted per pass. */
export const CALLBACK_BATCH_MAX = 50;
/** One delivery may take this long before it counts as failed. */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** A claim keeps other replicas off a callback while it is being posted. */
const LEASE_MS = 3 * CALLBACK_TIMEOUT_MS;
/** The platform's answer is read up to this size, only for the log. */
const ANSWER_BYTES_MAX = 1024;
/** Passes that drain a backlog back to back before yielding to the timer. */
const PASSES_PER_WAKE_MAX = 100;
/** Nonces are kept twice the freshness window: a message dated ahead of the clock stays refusable. */
const NONCE_RETENTION_MS = 2 * MESSAGE_FRESHNESS_MS;
const POLL_MS_MIN = 10;
const POLL_MS_MAX = 1000;

export interface CallbackToSend {
  reference: string;
  url: string;
  messageType: string;
  data: object;
  /** When the first attempt is due (a simulated decision takes a while). */
  firstAttemptAt: Date;
}

/** Records a callback in the decision's transaction. */
export function enqueueCallback(tx: EntityManager, callback: CallbackToSend): void {
  tx.create(ProviderCallback, {
    id: randomUUID(),
    reference: callback.reference,
    url: callback.url,
    messageType: callback.messageType,
    data: JSON.stringify(callback.data),
    attempts: 0,
    nextAttemptAt: callback.firstAttemptAt,
    status: 'PENDING',
    createdAt: new Date(),
  });
}

/**
 * The platform asked again: the callback about `reference` goes out again (to `url`, the latest the
 * platform gave), with a fresh schedule, whether it was delivered, given up or still pending.
 */
export async function requeueCallback(em: EntityManager, reference: string, url: string, now: Date): Promise<void> {
  await em.nativeUpdate(
    ProviderCallback,
    { reference },
    { url, status: 'PENDING', attempts: 0, nextAttemptAt: now, lastError: null, deliveredAt: null },
  );
}

/** The callbacks in each status, for tests and operators. */
export async function callbackCounts(orm: Database): Promise<Record<string, number>> {
  const rows = await forkEntityManager(orm).find(ProviderCallback, {}, { fields: ['status'] });
  const counts: Record<string, number> = { PENDING: 0, DELIVERED: 0, GAVE_UP: 0 };
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

export interface CallbackWorkerOptions {
  /** Signs each attempt afresh (new nonce and instant) with the simulator's key. */
  sign(messageType: string, json: string): ProviderEnvelope;
  retryBaseMs: number;
  databaseKind: DatabaseKind;
  /** While true (a simulated outage) nothing is delivered. */
  paused(): boolean;
}

type Delivery = { delivered: true } | { delivered: false; reason: string };

/**
 * Delivers the simulator's signed callbacks: a pass claims due PENDING rows (leasing them; on MariaDB
 * with SKIP LOCKED so replicas take disjoint rows), posts each, and marks it DELIVERED on a 2xx answer.
 * A failure waits the next backoff delay (domain/callback-schedule.ts); after the last attempt the row
 * is GAVE_UP and logged. Delivery is at least once: the platform must treat a repeat as already handled.
 * Each pass also forgets nonces older than the replay window.
 */
export class CallbackWorker {
  private readonly loop: WakeLoop;
  /** Aborts deliveries in flight at stop; their leases expire and they go again after a restart. */
  private readonly stopping = new AbortController();
  /** Claimed rows not yet settled: handed back at stop so a restart delivers them without waiting out the lease. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly orm: Database,
    private readonly options: CallbackWorkerOptions,
    private readonly logger: Logger,
  ) {
    assert(options.retryBaseMs > 0, 'the callback retry base must be positive');
    const pollMs = Math.min(POLL_MS_MAX, Math.max(POLL_MS_MIN, options.retryBaseMs));
    this.loop = new WakeLoop(
      () => this.drain(),
      pollMs,
      (error) => logger.error({ err: error }, 'callback pass failed'),
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
    await forkEntityManager(this.orm).nativeDelete(SeenNonce, {
      seenAt: { $lt: new Date(Date.now() - NONCE_RETENTION_MS) },
    });
    if (this.options.paused()) return;
    for (let pass = 0; pass < PASSES_PER_WAKE_MAX && !this.loop.isStopped; pass += 1) {
      if ((await this.runPass(new Date())) < CALLBACK_BATCH_MAX) return;
    }
  }

  private async runPass(now: Date): Promise<number> {
    const rows = await this.claim(now);
    const deliveries = await Promise.all(rows.map((row) => this.deliver(row)));
    // Stopped mid-delivery: an aborted post is no failed attempt; the lease brings the rows back.
    if (this.loop.isStopped) return rows.length;
    for (const [index, row] of rows.entries()) await this.settle(row, deliveries[index]);
    return rows.length;
  }

  private async claim(now: Date): Promise<ProviderCallback[]> {
    const mysql = this.options.databaseKind === 'mysql';
    return forkEntityManager(this.orm).transactional(async (tx) => {
      const due = await tx.find(
        ProviderCallback,
        { status: 'PENDING', nextAttemptAt: { $lte: now } },
        {
          orderBy: { nextAttemptAt: 'asc' },
          limit: CALLBACK_BATCH_MAX,
          ...(mysql ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}),
        },
      );
      for (const row of due) this.inFlight.add(row.id);
      if (due.length > 0) {
        await tx.nativeUpdate(
          ProviderCallback,
          { id: { $in: due.map((row) => row.id) } },
          { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
        );
      }
      return due;
    });
  }

  private async deliver(row: ProviderCallback): Promise<Delivery> {
    try {
      const response = await fetch(row.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.options.sign(row.messageType, row.data)),
        signal: AbortSignal.any([AbortSignal.timeout(CALLBACK_TIMEOUT_MS), this.stopping.signal]),
      });
      const answer = (await response.text()).slice(0, ANSWER_BYTES_MAX);
      if (isCallbackAcknowledged(response.status)) return { delivered: true };
      return { delivered: false, reason: `HTTP ${response.status}: ${JSON.stringify(answer.slice(0, 100))}` };
    } catch (error) {
      return { delivered: false, reason: (error as Error).message };
    }
  }

  private async settle(row: ProviderCallback, delivery: Delivery): Promise<void> {
    this.inFlight.delete(row.id);
    const em = forkEntityManager(this.orm);
    const attempts = row.attempts + 1;
    // Only the claim this pass holds: a re-ask may have reset the row meanwhile (attempts back to 0).
    const claimed = { id: row.id, attempts: row.attempts, status: 'PENDING' as const };
    if (delivery.delivered) {
      await em.nativeUpdate(ProviderCallback, claimed, {
        status: 'DELIVERED',
        attempts,
        deliveredAt: new Date(),
        lastError: null,
      });
      return;
    }
    const delayMs = callbackRetryDelayMs(attempts, this.options.retryBaseMs);
    const lastError = delivery.reason.slice(0, 500);
    if (delayMs === null) {
      await em.nativeUpdate(ProviderCallback, claimed, { status: 'GAVE_UP', attempts, lastError });
      this.logger.error({ reference: row.reference, attempts, reason: delivery.reason }, 'callback GAVE_UP');
      return;
    }
    await em.nativeUpdate(ProviderCallback, claimed, {
      attempts,
      lastError,
      nextAttemptAt: new Date(Date.now() + delayMs),
    });
    this.logger.warn(
      { reference: row.reference, attempts, reason: delivery.reason, retryInMs: delayMs },
      'callback not acknowledged, will retry',
    );
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
    if (this.inFlight.size === 0) return;
    // Aborted deliveries are no failed attempts: due again at once for whoever runs next.
    await forkEntityManager(this.orm).nativeUpdate(
      ProviderCallback,
      { id: { $in: [...this.inFlight] }, status: 'PENDING' },
      { nextAttemptAt: new Date() },
    );
    this.inFlight.clear();
  }
}

/** Signs a callback's data with `privateKeyPem` as the worker needs it. */
export function callbackSigner(privateKeyPem: string): CallbackWorkerOptions['sign'] {
  return (messageType, json) => signProviderJson(messageType, json, privateKeyPem);
}
