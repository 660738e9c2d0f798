import type { EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import type { Database } from '../db';
import type { Logger } from '../logger';
import { AmqpTransport } from './amqp-transport';
import { DEFAULT_AMQP_OPTIONS } from './options';
import { InboxConsumer, type EventSubscription } from './consumer';
import { EmbeddedTransport } from './embedded-transport';
import { createMessagingMetrics, type MessagingMetrics } from './metrics';
import { OutboxMessage } from './outbox.entity';
import type { MessagingConfig } from './options';
import { OutboxRelay } from './relay';
import { brokerNames, type ConsumerSpec, type EventTransport } from './transport';

/** Everything one subgraph runs for events: transport, relay, inbox consumer and their metrics. */
export interface Messaging {
  transport: EventTransport;
  relay: OutboxRelay;
  metrics: MessagingMetrics;
  stop(): Promise<void>;
}

let processTransport: EmbeddedTransport | undefined;

/** One in-process transport per process: the all-in-one launcher's five subgraphs share it. */
export function embeddedTransport(logger: Logger): EmbeddedTransport {
  processTransport ??= new EmbeddedTransport(logger);
  return processTransport;
}

/** Wakes the relay when a commit wrote outbox rows, so events leave without waiting for the poll. */
class OutboxWakeUp implements EventSubscriber {
  private wrote = false;
  constructor(private readonly wake: () => void) {}

  afterFlush({ uow }: FlushEventArgs): void {
    if (uow.getChangeSets().some((change) => change.entity instanceof OutboxMessage)) {
      this.wrote = true;
      this.wake();
    }
  }

  afterTransactionCommit(): void {
    if (!this.wrote) return;
    this.wrote = false;
    this.wake();
  }
}

export async function startMessaging(
  subgraph: string,
  orm: Database,
  config: MessagingConfig,
  subscriptions: readonly EventSubscription<any>[],
  logger: Logger,
): Promise<Messaging> {
  const metrics = createMessagingMetrics(subgraph, orm);
  const transport: EventTransport =
    config.amqpUrls === undefined
      ? embeddedTransport(logger)
      : new AmqpTransport(
          {
            ...DEFAULT_AMQP_OPTIONS,
            urls: config.amqpUrls,
            names: brokerNames(config.namespace),
            prefetch: config.prefetch,
            deliveryLimit: config.deliveryLimit,
          },
          logger,
        );
  let spec: ConsumerSpec | undefined;
  if (subscriptions.length > 0) {
    spec = new InboxConsumer(subgraph, orm, subscriptions, logger, metrics, config.consumerBatchMax).spec();
    transport.consume(spec);
  }
  if (transport instanceof AmqpTransport) await transport.start();
  const relay = new OutboxRelay(orm, transport, config.relay, logger, metrics);
  orm.em.getEventManager().registerSubscriber(new OutboxWakeUp(() => relay.wake()));
  relay.start();
  return {
    transport,
    relay,
    metrics,
    stop: async () => {
      await relay.stop();
      if (transport instanceof EmbeddedTransport) {
        if (spec !== undefined) transport.removeConsumer(spec);
      } else {
        await transport.close();
      }
    },
  };
}
