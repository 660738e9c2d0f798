import { randomUUID } from 'node:crypto';
import {
  DeliveryWorker,
  forkEntityManager,
  postDelivery,
  selectRows,
  type Database,
  type DatabaseKind,
  type EntityManager,
  type Logger,
} from '@wanxin/platform';
import {
  isCallbackAcknowledged,
  MESSAGE_FRESHNESS_MS,
  signProviderJson,
  type ProviderEnvelope,
} from '@wanxin/platform/provider-protocol';
import { callbackRetryDelayMs } from './domain/callback-schedule';
import { ProviderCallback, SeenNonce, type CallbackStatus } from './entities';

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

const CALLBACK_STATUSES: readonly CallbackStatus[] = ['PENDING', 'DELIVERED', 'GAVE_UP'];

/**
 * How many callbacks are in each status, for tests and operators: one grouped statement, so a callback
 * delivered while they are counted is counted once.
 */
export async function callbackCounts(orm: Database): Promise<Record<CallbackStatus, number>> {
  const rows = await selectRows<{ status: CallbackStatus; count: number | string }>(
    forkEntityManager(orm),
    'select status, count(*) as count from provider_callbacks group by status',
    [],
  );
  const counts = Object.fromEntries(CALLBACK_STATUSES.map((status) => [status, 0])) as Record<CallbackStatus, number>;
  for (const row of rows) counts[row.status] = Number(row.count);
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

/**
 * Delivers the simulator's callbacks (the platform's DeliveryWorker): each attempt is signed afresh and
 * POSTed to the row's url; a 2xx answer marks it DELIVERED, a failure waits the next backoff delay
 * (domain/callback-schedule.ts), after the last attempt it is GAVE_UP and logged. Delivery is at least
 * once: the platform must treat a repeat as already handled. Before each wake's passes it also forgets
 * nonces older than the replay window.
 */
export class CallbackWorker extends DeliveryWorker<ProviderCallback> {
  constructor(orm: Database, options: CallbackWorkerOptions, logger: Logger) {
    super(
      orm,
      {
        entity: ProviderCallback,
        noun: 'callback',
        describe: (row) => ({ reference: row.reference }),
        deliver: (row, signal) =>
          postDelivery(row.url, JSON.stringify(options.sign(row.messageType, row.data)), signal, (status) =>
            isCallbackAcknowledged(status),
          ),
        retryDelayMs: (attemptsMade) => callbackRetryDelayMs(attemptsMade, options.retryBaseMs),
        pollMs: Math.min(POLL_MS_MAX, Math.max(POLL_MS_MIN, options.retryBaseMs)),
        databaseKind: options.databaseKind,
        paused: options.paused,
        beforePasses: async () => {
          await forkEntityManager(orm).nativeDelete(SeenNonce, {
            seenAt: { $lt: new Date(Date.now() - NONCE_RETENTION_MS) },
          });
        },
      },
      logger,
    );
  }
}

/** Signs a callback's data with `privateKeyPem` as the worker needs it. */
export function callbackSigner(privateKeyPem: string): CallbackWorkerOptions['sign'] {
  return (messageType, json) => signProviderJson(messageType, json, privateKeyPem);
}
