// What the outbox relay's tests share: the outbox of a producer with no entities of its own on a test
// database, a relay over it that logs nothing, and a transport that sends nowhere, for each test to say
// what a publish answers. The claim and the waves are what those tests prove, not a broker.
import {
  createLogger,
  createMessagingMetrics,
  initDatabase,
  OutboxRelay,
  type Database,
  type EventTransport,
  type OutgoingMessage,
  type PublishOutcome,
  type RelayOptions,
} from '../src';
import type { TestEnvironment } from '../src/testing';

/** The probe producer's outbox on `environment`'s database, its schema created. */
export async function openProbeOutbox(environment: TestEnvironment): Promise<Database> {
  const orm = await initDatabase(environment.config, { subgraph: 'probe_producer', entities: [], migrations: [] });
  await orm.getSchemaGenerator().updateSchema();
  return orm;
}

/** What a relay test chooses; a retry waits `retryDelayMs` every time (no curve), a lease lasts a minute. */
export type ProbeRelayBounds = Pick<RelayOptions, 'batchSize' | 'attemptsMax' | 'retryDelayMs'>;

/** A silent relay over `orm`'s outbox through `transport`: a test drives its passes with runPass(). */
export function probeRelay(orm: Database, transport: EventTransport, bounds: ProbeRelayBounds): OutboxRelay {
  const options: RelayOptions = {
    ...bounds,
    pollIntervalMs: 1000,
    gatherMs: 0,
    retryDelayMaxMs: bounds.retryDelayMs,
    leaseMs: 60_000,
  };
  const logger = createLogger('relay-test', 'silent');
  return new OutboxRelay(orm, transport, options, logger, createMessagingMetrics('probe', undefined));
}

/** A transport without a broker: it consumes nothing, and each test's subclass answers its publishes. */
export abstract class ProbeTransport implements EventTransport {
  readonly kind = 'embedded' as const;
  consume(): void {}
  async start(): Promise<void> {}
  async close(): Promise<void> {}
  abstract publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]>;
}
