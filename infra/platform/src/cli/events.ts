// `npm run events -- <command>`: the operator's view of reliable events (run `npm run build` first).
//   backlog                         per subgraph: outbox pending / oldest age / dead, queue and dead-letter depth
//   dead [subgraph]                 DEAD outbox rows and dead-lettered messages (first 100 of each)
//   replay <subgraph> <id|--all>    a DEAD outbox row goes back to PENDING; a dead letter is republished
// Reads the same environment as the services (DATABASE_URL, DATA_DIR, AMQP_URL, EVENTS_NAMESPACE, …).
import fs from 'node:fs';
import path from 'node:path';
import amqp, { type Channel, type ConfirmChannel, type GetMessage } from 'amqplib';
import { loadConfig, readPlatformConfig, type PlatformConfig } from '../config';
import { databaseKind, databaseName, forkEntityManager, initDatabase, type Database } from '../db';
import { OutboxMessage } from '../messaging/outbox.entity';
import { brokerNames } from '../messaging/transport';
import { SUBGRAPH_NAMES } from '../subgraph';

/** Rows and dead letters listed or replayed by one command. */
const LISTING_MAX = 100;

/** Runs `use` on a subgraph's outbox; null when that subgraph has no database here. */
async function withOutbox<T>(
  config: PlatformConfig,
  subgraph: string,
  use: (orm: Database) => Promise<T>,
): Promise<T | null> {
  if (
    databaseKind(config) === 'libsql' &&
    !fs.existsSync(path.join(config.dataDir, `${databaseName(config, subgraph)}.db`))
  )
    return null;
  const orm = await initDatabase(config, { subgraph, entities: [], migrations: [] }, false).catch(() => null);
  if (orm === null || !(await orm.isConnected())) return null;
  try {
    return await use(orm);
  } finally {
    await orm.close(true);
  }
}

/**
 * Runs `use` on a fresh confirm channel (the broker closes a channel that asks for a missing queue, so
 * each use gets its own). The channel is closed before the connection: amqplib interleaves channels, so
 * closing the connection first could drop publishes and acks still buffered. Messages taken with `get`
 * and not acked return to their queue when the channel closes.
 */
async function withBroker<T>(config: PlatformConfig, use: (channel: ConfirmChannel) => Promise<T>): Promise<T | null> {
  if (config.messaging.amqpUrls === undefined) return null;
  const connection = await amqp.connect(config.messaging.amqpUrls[0]);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    const result = await use(channel);
    await channel.close();
    return result;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function queueDepth(config: PlatformConfig, queue: string): Promise<number | string> {
  const depth = await withBroker(config, (channel) =>
    channel.checkQueue(queue).then((reply) => reply.messageCount),
  ).catch(() => 'absent');
  return depth ?? 'n/a';
}

async function backlog(config: PlatformConfig): Promise<void> {
  const names = brokerNames(config.messaging.namespace);
  const rows = [];
  for (const subgraph of SUBGRAPH_NAMES) {
    const outbox = await withOutbox(config, subgraph, async (orm) => {
      const em = forkEntityManager(orm);
      const oldest = await em.findOne(OutboxMessage, { status: 'PENDING' }, { orderBy: { id: 'asc' } });
      return {
        pending: await em.count(OutboxMessage, { status: 'PENDING' }),
        oldestPendingSeconds: oldest === null ? 0 : Math.round((Date.now() - oldest.occurredAt.getTime()) / 1000),
        dead: await em.count(OutboxMessage, { status: 'DEAD' }),
      };
    });
    rows.push({
      subgraph,
      ...(outbox ?? { pending: 'no database', oldestPendingSeconds: '', dead: '' }),
      queued: await queueDepth(config, names.consumerQueue(subgraph)),
      deadLettered: await queueDepth(config, names.deadLetterQueue(subgraph)),
    });
  }
  console.table(rows);
}

async function peekDeadLetters(channel: Channel, queue: string): Promise<GetMessage[]> {
  const messages: GetMessage[] = [];
  for (let index = 0; index < LISTING_MAX; index += 1) {
    const message = await channel.get(queue, { noAck: false });
    if (message === false) break;
    messages.push(message);
  }
  return messages;
}

async function dead(config: PlatformConfig, only: string | undefined): Promise<void> {
  const names = brokerNames(config.messaging.namespace);
  for (const subgraph of SUBGRAPH_NAMES.filter((name) => only === undefined || name === only)) {
    const rows = await withOutbox(config, subgraph, (orm) =>
      forkEntityManager(orm).find(OutboxMessage, { status: 'DEAD' }, { orderBy: { id: 'asc' }, limit: LISTING_MAX }),
    );
    for (const row of rows ?? [])
      console.log(`${subgraph}\toutbox\t${row.id}\t${row.type}\tattempts=${row.attempts}\t${row.lastError ?? ''}`);
    await withBroker(config, async (channel) => {
      await channel.checkQueue(names.deadLetterQueue(subgraph));
      const messages = await peekDeadLetters(channel, names.deadLetterQueue(subgraph));
      for (const message of messages)
        console.log(
          `${subgraph}\tdead-letter\t${String(message.properties.messageId)}\t${String(message.properties.type)}`,
        );
    }).catch(() => undefined);
  }
}

async function replay(config: PlatformConfig, subgraph: string, target: string): Promise<void> {
  const all = target === '--all';
  const revived = await withOutbox(config, subgraph, (orm) =>
    forkEntityManager(orm).nativeUpdate(OutboxMessage, all ? { status: 'DEAD' } : { status: 'DEAD', id: target }, {
      status: 'PENDING',
      attempts: 0,
      nextAttemptAt: new Date(),
      lastError: null,
    }),
  );
  console.log(`${subgraph}: ${revived ?? 0} DEAD outbox row(s) back to PENDING`);
  const names = brokerNames(config.messaging.namespace);
  const republished = await withBroker(config, async (channel) => {
    const chosen = (await peekDeadLetters(channel, names.deadLetterQueue(subgraph))).filter(
      (message) => all || message.properties.messageId === target,
    );
    // The relay sets `type` to the routing key; each message goes back through the normal exchange and
    // leaves the dead-letter queue only once the broker confirmed the copy.
    for (const message of chosen) {
      const { headers, ...properties } = message.properties;
      // The copy starts a fresh delivery count; x-death keeps its history.
      const { 'x-delivery-count': _previousDeliveries, ...kept } = (headers ?? {}) as Record<string, unknown>;
      channel.publish(names.eventsExchange, String(message.properties.type), message.content, {
        ...properties,
        headers: { ...kept, 'x-replayed': true },
        persistent: true,
        mandatory: true,
      });
    }
    await channel.waitForConfirms();
    for (const message of chosen) channel.ack(message);
    return chosen.length;
  });
  console.log(`${subgraph}: ${republished ?? 0} dead letter(s) republished`);
}

async function main(argv: string[]): Promise<number> {
  const config = loadConfig(process.env, readPlatformConfig);
  const [command, first, second] = argv;
  if (command === 'backlog') await backlog(config);
  else if (command === 'dead') await dead(config, first);
  else if (
    command === 'replay' &&
    first !== undefined &&
    (SUBGRAPH_NAMES as readonly string[]).includes(first) &&
    second !== undefined
  ) {
    await replay(config, first, second);
  } else {
    console.error('usage: npm run events -- backlog | dead [subgraph] | replay <subgraph> <messageId|--all>');
    return 2;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
