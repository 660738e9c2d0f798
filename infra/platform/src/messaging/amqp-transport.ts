import { once } from 'node:events';
import {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type RecoveringChannelModel,
} from 'amqplib';
import { assert } from '../assert';
import type { Logger } from '../logger';
import { retryDelayMs, type RetryPolicy } from '../retry';
import { connectToBroker } from './broker-connection';
import type { AmqpTuning } from './options';
import type {
  BrokerNames,
  ConsumerSpec,
  Delivery,
  DeliveryVerdict,
  EventTransport,
  OutgoingMessage,
  PublishOutcome,
} from './transport';

export interface AmqpOptions extends AmqpTuning {
  /** The cluster's nodes: a lost connection recovers on the next one. */
  urls: readonly string[];
  names: BrokerNames;
}

/** Declares the shared exchanges and one subgraph's quorum queue with its dead-letter queue. */
export async function declareTopology(
  channel: Channel,
  names: BrokerNames,
  spec: { subgraph: string; routingKeys: readonly string[] },
  deliveryLimit: number,
): Promise<void> {
  await channel.assertExchange(names.eventsExchange, 'topic', { durable: true });
  await channel.assertExchange(names.deadLetterExchange, 'direct', { durable: true });
  const queue = names.consumerQueue(spec.subgraph);
  const dead = names.deadLetterQueue(spec.subgraph);
  await channel.assertQueue(dead, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(dead, names.deadLetterExchange, dead);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': names.deadLetterExchange,
      'x-dead-letter-routing-key': dead,
    },
  });
  for (const routingKey of spec.routingKeys) await channel.bindQueue(queue, names.eventsExchange, routingKey);
}

/**
 * RabbitMQ through amqplib 2 with its connection recovery: after every (re)connect, `setup` declares
 * the topology again, opens a fresh confirm channel for publishing and restarts every consumer.
 * Deliveries are acked on the channel they came from, and only while it is open; a delivery whose
 * channel died is redelivered by the broker and absorbed by the inbox.
 */
export class AmqpTransport implements EventTransport {
  readonly kind = 'amqp' as const;
  private connection: RecoveringChannelModel | undefined;
  private model: ChannelModel | undefined;
  private publishChannel: ConfirmChannel | undefined;
  private readonly returned = new Set<string>();
  private readonly consumers: ConsumerSpec[] = [];
  private closing = false;

  constructor(
    private readonly options: AmqpOptions,
    private readonly logger: Logger,
  ) {
    assert(options.prefetch >= 1 && options.prefetch <= 10_000, 'prefetch out of range');
    assert(options.deliveryLimit >= 1, 'delivery limit must be at least 1');
  }

  /** Registers a consumer; consumers are started by `start()` and again after every reconnect. */
  consume(spec: ConsumerSpec): void {
    assert(this.connection === undefined, 'register consumers before start()');
    this.consumers.push(spec);
  }

  /** Connects (waiting for the broker a bounded number of times), declares topology, starts consumers. */
  async start(): Promise<void> {
    assert(this.connection === undefined, 'already started');
    this.connection = await connectToBroker(
      this.options.urls,
      this.options.heartbeatSeconds,
      (model) => this.setup(model),
      this.logger,
      { role: 'transport' },
    );
  }

  private async setup(model: ChannelModel): Promise<void> {
    this.model = model;
    await this.openPublishChannel(model);
    for (const spec of this.consumers) await this.startConsumer(model, spec);
  }

  private async openPublishChannel(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn({ err: error }, 'AMQP publish channel error'));
    channel.on('close', () => {
      if (this.publishChannel === channel) this.publishChannel = undefined;
    });
    // With `mandatory`, an unroutable message comes back before its confirm: remember it to fail that publish.
    channel.on('return', (message: ConsumeMessage) => {
      if (message.properties.messageId) this.returned.add(String(message.properties.messageId));
    });
    await channel.assertExchange(this.options.names.eventsExchange, 'topic', { durable: true });
    this.publishChannel = channel;
  }

  /**
   * A nacked publish (a quorum queue lost its leader) gets a new channel: RabbitMQ 3.10's channel that saw
   * the nack keeps nacking that queue after a new leader is elected, a new one is served at once. The
   * relay sends the nacked messages again on its next pass.
   */
  private async renewPublishChannel(nacked: ConfirmChannel): Promise<void> {
    if (this.publishChannel !== nacked || this.model === undefined) return;
    this.publishChannel = undefined;
    await nacked.close().catch(() => undefined);
    await this.openPublishChannel(this.model).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'could not open a new publish channel; the next reconnect opens one'),
    );
  }

  private async startConsumer(model: ChannelModel, spec: ConsumerSpec): Promise<void> {
    await this.attachConsumer(await model.createChannel(), spec);
  }

  private async attachConsumer(channel: Channel, spec: ConsumerSpec): Promise<void> {
    let open = true;
    channel.on('close', () => {
      open = false;
    });
    channel.on('error', (error: Error) =>
      this.logger.warn({ err: error, subgraph: spec.subgraph }, 'AMQP consumer channel error'),
    );
    await channel.prefetch(this.options.prefetch);
    await declareTopology(channel, this.options.names, spec, this.options.deliveryLimit);
    await channel.consume(this.options.names.consumerQueue(spec.subgraph), (message) => {
      if (message === null) {
        this.logger.error({ subgraph: spec.subgraph }, 'consumer cancelled by the broker');
        return;
      }
      void this.onMessage(channel, () => open, spec, message);
    });
  }

  /** Redeliveries of one message: as many as the quorum queue's delivery limit allows. */
  private requeuePolicy(): RetryPolicy {
    const { deliveryLimit, requeueDelayMs, requeueDelayMaxMs } = this.options;
    return { attemptsMax: deliveryLimit, firstDelayMs: requeueDelayMs, delayMaxMs: requeueDelayMaxMs, jitter: 0.5 };
  }

  private async onMessage(
    channel: Channel,
    isOpen: () => boolean,
    spec: ConsumerSpec,
    message: ConsumeMessage,
  ): Promise<void> {
    const deliveryCount = Number(
      message.properties.headers?.['x-delivery-count'] ?? (message.fields.redelivered ? 1 : 0),
    );
    const delivery: Delivery = {
      messageId: String(message.properties.messageId ?? ''),
      routingKey: message.fields.routingKey,
      body: message.content,
      redeliveries: deliveryCount,
    };
    let verdict: DeliveryVerdict;
    try {
      verdict = await spec.handle(delivery);
    } catch (error) {
      this.logger.warn({ err: error, messageId: delivery.messageId }, 'delivery handling failed');
      verdict = 'requeue';
    }
    if (verdict === 'requeue') {
      const requeue = this.requeuePolicy();
      await new Promise((resolve) =>
        setTimeout(resolve, retryDelayMs(requeue, Math.min(deliveryCount + 1, requeue.attemptsMax))),
      );
    }
    // An ack on another channel than the delivery's is a protocol error; if this one closed, the broker
    // redelivers the message and the inbox absorbs it.
    if (!isOpen()) return;
    try {
      if (verdict === 'ack') channel.ack(message);
      else channel.nack(message, false, verdict === 'requeue');
    } catch (error) {
      this.logger.warn({ err: error, messageId: delivery.messageId }, 'could not settle delivery (channel closing)');
    }
  }

  /**
   * Publishes the batch on the confirm channel and awaits its confirms together: one deadline for the
   * batch (`confirmTimeoutMs` from its start), after which any message still unconfirmed counts as failed.
   */
  async publish(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const channel = this.publishChannel;
    if (channel === undefined) return messages.map(() => ({ confirmed: false, reason: 'not connected to RabbitMQ' }));
    const confirmations: Promise<PublishOutcome>[] = [];
    const expiries: (() => void)[] = [];
    const deadline = setTimeout(() => {
      for (const expire of expiries) expire();
    }, this.options.confirmTimeoutMs);
    try {
      for (const message of messages) {
        const { accepted, confirmation, expire } = this.publishOne(channel, message);
        confirmations.push(confirmation);
        expiries.push(expire);
        // Backpressure: stop writing while the socket buffer is full.
        if (!accepted) await Promise.race([once(channel, 'drain'), once(channel, 'close')]);
      }
      const outcomes = await Promise.all(confirmations);
      if (outcomes.some((outcome) => !outcome.confirmed && outcome.nacked)) await this.renewPublishChannel(channel);
      return outcomes;
    } finally {
      clearTimeout(deadline);
    }
  }

  private publishOne(
    channel: ConfirmChannel,
    message: OutgoingMessage,
  ): { accepted: boolean; confirmation: Promise<PublishOutcome>; expire: () => void } {
    let accepted = true;
    let settle: (outcome: PublishOutcome) => void = () => undefined;
    const confirmation = new Promise<PublishOutcome>((resolve) => {
      let settled = false;
      settle = (outcome) => {
        if (settled) return;
        settled = true;
        this.returned.delete(message.messageId);
        resolve(outcome);
      };
    });
    try {
      accepted = channel.publish(
        this.options.names.eventsExchange,
        message.routingKey,
        message.body,
        {
          persistent: true,
          mandatory: true,
          messageId: message.messageId,
          contentType: 'application/json',
          type: message.routingKey,
        },
        (error: unknown) => {
          if (error)
            settle({ confirmed: false, reason: `nack: ${String((error as Error).message ?? error)}`, nacked: true });
          else if (this.returned.has(message.messageId))
            settle({ confirmed: false, reason: `unroutable: ${message.routingKey}`, unroutable: true });
          else settle({ confirmed: true });
        },
      );
    } catch (error) {
      settle({ confirmed: false, reason: `publish failed: ${(error as Error).message}` });
    }
    return { accepted, confirmation, expire: () => settle({ confirmed: false, reason: 'confirm timeout' }) };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.connection?.close().catch(() => undefined);
  }
}
