// Proves the services the next steps build on are really there: MariaDB answers at DATABASE_URL and
// RabbitMQ accepts an AMQP connection at AMQP_URL. Under REQUIRE_SERVICES=1 (CI) a missing one fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import amqp from 'amqplib';
import mysql from 'mysql2/promise';
import { servicesUnderTest, waitFor } from '@wanxin/platform/testing';

test('MariaDB answers at DATABASE_URL', { skip: servicesUnderTest(['MariaDB']) }, async (t) => {
  const connection = await mysql.createConnection(process.env.DATABASE_URL!);
  const [rows] = await connection.query('select version() as version');
  await connection.end();
  const version = (rows as { version: string }[])[0].version;
  t.diagnostic(`MariaDB ${version}`);
  assert.match(version, /MariaDB/i);
});

test('RabbitMQ accepts an AMQP connection at AMQP_URL', { skip: servicesUnderTest(['RabbitMQ']) }, async (t) => {
  const connection = await amqp.connect(process.env.AMQP_URL!);
  const channel = await connection.createChannel();
  const queue = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  channel.sendToQueue(queue.queue, Buffer.from('ping'));
  let message = false as amqp.GetMessage | false;
  await waitFor(async () => (message = await channel.get(queue.queue, { noAck: true })) !== false, {
    timeoutMs: 5_000,
    what: 'the ping is in its queue',
  });
  t.diagnostic(`RabbitMQ ${String(connection.connection.serverProperties.version)}`);
  await connection.close();
  assert.ok(message && message.content.toString() === 'ping');
});
