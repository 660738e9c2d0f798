// The events settings (the outbox relay's, the RabbitMQ transport's) and their defaults, apart from the
// code that uses them: configuration reads them here without loading the database or the broker client.

/** How the RabbitMQ transport consumes and publishes (its connection aside). */
export interface AmqpTuning {
  /** Unacknowledged deliveries per consumer: bounds memory and handler concurrency. */
  prefetch: number;
  /** Deliveries of one message before the quorum queue dead-letters it. */
  deliveryLimit: number;
  /** A publish not confirmed within this time counts as failed; the row is retried. */
  confirmTimeoutMs: number;
  heartbeatSeconds: number;
  /**
   * Pause before requeueing a delivery whose handler failed (the platform's retry curve: doubles per
   * redelivery, capped). It holds one of `prefetch` slots while it waits, so the cap stays in seconds.
   */
  requeueDelayMs: number;
  requeueDelayMaxMs: number;
}

export const DEFAULT_AMQP_OPTIONS: AmqpTuning = {
  prefetch: 32,
  deliveryLimit: 10,
  confirmTimeoutMs: 10_000,
  heartbeatSeconds: 10,
  requeueDelayMs: 200,
  requeueDelayMaxMs: 5_000,
};

export interface RelayOptions {
  /** Rows claimed per pass. */
  batchSize: number;
  /** Fallback poll when nothing woke the relay (a commit in another process, a retry coming due). */
  pollIntervalMs: number;
  /**
   * Under a stream of commits, a pass starts this long after the previous one ended (a commit after a
   * quiet spell still goes at once): each pass's claim, lease and mark (six statements) then serve what
   * this many milliseconds of commits brought, not the few rows of one pass's duration. At most the poll.
   */
  gatherMs: number;
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
  gatherMs: 10,
  attemptsMax: 10,
  retryDelayMs: 500,
  retryDelayMaxMs: 60_000,
  leaseMs: 30_000,
};

/**
 * Deliveries one consumer transaction handles at most (EVENTS_CONSUMER_BATCH_MAX; 1 turns batching off).
 * A batch waits for no timer: it takes what arrived while the previous transaction ran, or in the same
 * event-loop turn. Half the default prefetch, so that while one batch commits (its deliveries unacked) the
 * broker can already hand over the next one.
 */
export const DEFAULT_CONSUMER_BATCH_MAX = 16;
/** The setting's ceiling: the inbox rows of a batch go in one statement of at most SQL_LIST_MAX rows. */
export const CONSUMER_BATCH_MAX = 500;

/** A subgraph's events settings, as configuration reads them. */
export interface MessagingConfig {
  /**
   * RabbitMQ: the URL of each node of the cluster (AMQP_URL, comma-separated); unset means the in-process
   * transport shared by every subgraph of this process.
   */
  amqpUrls: readonly string[] | undefined;
  /** Prefix of every exchange and queue name (`<namespace>.events`, `<namespace>.<subgraph>`). */
  namespace: string;
  relay: RelayOptions;
  prefetch: number;
  deliveryLimit: number;
  /** Deliveries handled in one consumer transaction, at most. */
  consumerBatchMax: number;
}
