import amqp, { type ChannelModel, type Options, type RecoveringChannelModel } from 'amqplib';
import { assert } from '../assert';
import type { Logger } from '../logger';

/** Nodes of one RabbitMQ cluster a client may be given (AMQP_URL, comma-separated). */
export const BROKER_NODES_MAX = 16;

/**
 * Connects to a RabbitMQ cluster with amqplib 2's recovery: `setup` runs after every (re)connect, and each
 * attempt after a lost connection or a failed one goes to the next node of `urls`, round the list. amqplib
 * reads the address object afresh on every attempt, so moving it to the next node is all a failover takes.
 */
export async function connectToBroker(
  urls: readonly string[],
  heartbeatSeconds: number,
  setup: (model: ChannelModel) => Promise<void>,
  logger: Logger,
  what: Record<string, unknown>,
): Promise<RecoveringChannelModel> {
  assert(urls.length >= 1 && urls.length <= BROKER_NODES_MAX, `1 to ${BROKER_NODES_MAX} broker nodes`);
  const nodes = urls.map((url) => addressOf(url, heartbeatSeconds));
  let current = 0;
  const target: Options.Connect = { ...nodes[current] };
  const nextNode = () => {
    current = (current + 1) % nodes.length;
    Object.assign(target, nodes[current]);
  };
  const connection = await amqp.connect(target, {
    recovery: { initialDelay: 100, maxDelay: 5_000, maxRetries: Infinity, initialMaxRetries: 20, setup },
  });
  connection.on('disconnect', (error: Error) => {
    logger.warn({ err: error, ...what, node: describe(target) }, 'AMQP connection lost, recovering');
    nextNode();
  });
  connection.on('connect-failed', () => nextNode());
  connection.on('connect', () => logger.info({ ...what, node: describe(target) }, 'AMQP connected'));
  connection.on('error', (error: Error) => logger.warn({ err: error, ...what }, 'AMQP connection error'));
  connection.on('blocked', (reason: string) => logger.warn({ reason, ...what }, 'AMQP publishing blocked'));
  return connection;
}

function addressOf(url: string, heartbeatSeconds: number): Options.Connect {
  const parsed = new URL(url);
  // No credentials in the URL: amqplib's own default (guest) applies, as with a URL string.
  const credentials =
    parsed.username === '' && parsed.password === ''
      ? {}
      : { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  return {
    protocol: parsed.protocol.replace(/:$/, ''),
    hostname: parsed.hostname,
    port: parsed.port === '' ? undefined : Number(parsed.port),
    ...credentials,
    vhost: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : '/',
    heartbeat: heartbeatSeconds,
  };
}

function describe(address: Options.Connect): string {
  return `${address.hostname}:${address.port ?? 5672}`;
}
