// Proves the services the next steps build on are really there: MariaDB answers at DATABASE_URL and
// RabbitMQ accepts an AMQP connection at AMQP_URL. Under REQUIRE_SERVICES=1 (CI) a missing one fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import amqp from 'amqplib';
import mysql from 'mysql2/promise';
import { servicesRequired } from '@wanxin/platform/testing';

function skipReason(variable: string): string | false {
  if (process.env[variable]) return false;
  if (servicesRequired()) throw new Error(`REQUIRE_SERVICES=1 but ${variable} is not set`);
  return `${variable} is not set`;
}

test('MariaDB answers at DATABASE_URL', { skip: skipReason('DATABASE_URL') }, async (t) => {
  const connection = await mysql.createConnection(process.env.DATABASE_URL!);
  const [rows] = await connection.query('select version() as version');
  await connection.end();
  const version = (rows as { version: string }[])[0].version;
  t.diagnostic(`MariaDB ${version}`);
  assert.match(version, /MariaDB/i);
});

test('RabbitMQ accepts an AMQP connection at AMQP_URL', { skip: skipReason('AMQP_URL') }, async (t) => {
  const connection = await amqp.connect(process.env.AMQP_URL!);
  const channel = await connection.createChannel();
  const queue = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  channel.sendToQueue(queue.queue, Buffer.from('ping'));
  const message = await new Promise<amqp.GetMessage | false>((resolve) => setTimeout(() => resolve(channel.get(queue.queue, { noAck: true })), 100));
  t.diagnostic(`RabbitMQ ${String(connection.connection.serverProperties.version)}`);
  await connection.close();
  assert.ok(message && message.content.toString() === 'ping');
});
