import { randomBytes } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { assert } from '../assert';
import type { Logger } from '../logger';
import { connectToBroker } from './broker-connection';
import { decodeEnvelope, type EventEnvelope } from './event';
import type { MessagingConfig } from './options';
import { embeddedTransport } from './runtime';
import { brokerNames, type ConsumerSpec } from './transport';

/**
 * A listener hears events for a live view (the gateway's subscriptions): best effort, never part of a
 * business effect. Unlike a subgraph's consumer it has no inbox and no durable queue: each process gets
 * its own copy of every event while it runs, and nothing is kept for it while it does not.
 */
export interface EventListenerSpec {
  /** Part of the queue name, `<namespace>.listener.<name>.<instance>`, so operators can tell listeners apart. */
  name: string;
  routingKeys: readonly string[];
  /** Called once per event (a redelivered copy within the recent-ids window is dropped), in arrival order. Must not block. */
  onEvent(envelope: EventEnvelope): void;
  /** Called each time the listener is (re)connected and bound: events published while it was away were missed. */
  onConnected?(): void;
}

export interface EventListener {
  readonly kind: 'amqp' | 'embedded';
  close(): Promise<void>;
}

/** Messages the broker keeps for a listener that falls behind; past this the oldest are dropped (a live view wants the newest). */
export const LISTENER_QUEUE_LENGTH_MAX = 10_000;
/** Unacknowledged deliveries on the listener's channel. */
const LISTENER_PREFETCH = 256;
/** A dead connection is noticed within about two heartbeats, then recovered. */
const LISTENER_HEARTBEAT_SECONDS = 10;
/** Event ids remembered to drop copies (a relay that died after publishing sends its rows again). */
const LISTENER_RECENT_IDS_MAX = 10_000;

/** A bounded memory of the last ids seen, oldest forgotten first. */
class RecentIds {
  private readonly ids = new Set<string>();

  /** True the first time an id is offered while it is remembered. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > LISTENER_RECENT_IDS_MAX) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}

function envelopeHandler(spec: EventListenerSpec, logger: Logger): (body: Buffer) => void {
  const recent = new RecentIds();
  return (body) => {
    const envelope = decodeEnvelope(body);
    if (envelope === null) {
      logger.warn({ listener: spec.name }, 'listener dropped an undecodable event');
      return;
    }
    if (!recent.firstTime(envelope.id)) return;
    try {
      spec.onEvent(envelope);
    } catch (error) {
      logger.error(
        { err: error, listener: spec.name, messageId: envelope.id, type: envelope.type },
        'event listener failed',
      );
    }
  };
}

/**
 * Listens on RabbitMQ through an exclusive, auto-delete queue bound to the topic exchange: every
 * instance gets every event, and the queue disappears with its connection. After a reconnect the queue
 * is declared again (events published while disconnected are not seen: a live push is best effort).
 */
async function startAmqpListener(
  urls: readonly string[],
  namespace: string,
  spec: EventListenerSpec,
  logger: Logger,
): Promise<EventListener> {
  const names = brokerNames(namespace);
  const queue = `${namespace}.listener.${spec.name}.${randomBytes(6).toString('hex')}`;
  const handle = envelopeHandler(spec, logger);
  const setup = async (model: ChannelModel) => {
    const channel: Channel = await model.createChannel();
    channel.on('error', (error: Error) => logger.warn({ err: error, queue }, 'AMQP listener channel error'));
    await channel.prefetch(LISTENER_PREFETCH);
    await channel.assertExchange(names.eventsExchange, 'topic', { durable: true });
    await channel.assertQueue(queue, {
      exclusive: true,
      autoDelete: true,
      durable: false,
      arguments: { 'x-max-length': LISTENER_QUEUE_LENGTH_MAX, 'x-overflow': 'drop-head' },
    });
    for (const routingKey of spec.routingKeys) await channel.bindQueue(queue, names.eventsExchange, routingKey);
    spec.onConnected?.();
    await channel.consume(queue, (message: ConsumeMessage | null) => {
      if (message === null) return;
      handle(message.content);
      channel.ack(message);
    });
  };
  const connection = await connectToBroker(urls, LISTENER_HEARTBEAT_SECONDS, setup, logger, { queue });
  logger.info({ queue, routingKeys: spec.routingKeys }, 'event listener started');
  return { kind: 'amqp', close: async () => connection.close().catch(() => undefined) };
}

/** Listens on the process's in-process transport: acknowledged at once, so a slow listener never holds a relay back. */
function startEmbeddedListener(spec: EventListenerSpec, logger: Logger): EventListener {
  const transport = embeddedTransport(logger);
  const handle = envelopeHandler(spec, logger);
  const consumer: ConsumerSpec = {
    subgraph: `listener.${spec.name}`,
    routingKeys: spec.routingKeys,
    handle: async (delivery) => {
      handle(delivery.body);
      return 'ack';
    },
  };
  transport.consume(consumer);
  return { kind: 'embedded', close: async () => transport.removeConsumer(consumer) };
}

/** RabbitMQ when `amqpUrls` is set, else the in-process transport the subgraphs of this process share. */
export async function startEventListener(
  config: Pick<MessagingConfig, 'amqpUrls' | 'namespace'>,
  spec: EventListenerSpec,
  logger: Logger,
): Promise<EventListener> {
  assert(
    /^[a-z][a-z0-9-]{0,40}$/.test(spec.name),
    `listener name must be lower-case letters, digits and -, got ${spec.name}`,
  );
  assert(spec.routingKeys.length > 0, 'a listener needs at least one routing key');
  return config.amqpUrls === undefined
    ? startEmbeddedListener(spec, logger)
    : startAmqpListener(config.amqpUrls, config.namespace, spec, logger);
}
