// Proves the operator's events CLI: `backlog` counts a DEAD outbox row, `dead` lists it, `replay` puts it
// back to PENDING; on RabbitMQ `replay` republishes a dead letter to the subgraph's queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { brokerNames, declareTopology, forkEntityManager, initDatabase, newId, OutboxMessage } from '@wanxin/platform';
import { createTestEnvironment, eventually, servicesUnderTest, waitFor } from '@wanxin/platform/testing';
import { REPOSITORY_ROOT } from './harness/processes';

const run = promisify(execFile);
const cli = (env: Record<string, string>, ...args: string[]) =>
  run(process.execPath, [path.join(REPOSITORY_ROOT, 'infra/platform/dist/src/cli/events.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });

test('backlog, dead and replay of a DEAD outbox row', async () => {
  const environment = createTestEnvironment('libsql');
  try {
    const orm = await initDatabase(environment.config, { subgraph: 'users', entities: [], migrations: [] });
    await orm.getSchemaGenerator().updateSchema();
    const id = newId();
    await forkEntityManager(orm).insert(OutboxMessage, {
      id,
      type: 'users.user.registered',
      version: 1,
      aggregateId: 'a',
      body: '{}',
      occurredAt: new Date(),
      status: 'DEAD',
      attempts: 10,
      nextAttemptAt: new Date(),
      lastError: 'unroutable',
    });
    assert.match((await cli(environment.env, 'backlog')).stdout, /'users'\s+│\s+0\s+│\s+0\s+│\s+1/);
    assert.match(
      (await cli(environment.env, 'dead')).stdout,
      new RegExp(`users\\toutbox\\t${id}\\tusers.user.registered\\tattempts=10\\tunroutable`),
    );
    assert.match((await cli(environment.env, 'replay', 'users', id)).stdout, /1 DEAD outbox row\(s\) back to PENDING/);
    const row = await forkEntityManager(orm).findOneOrFail(OutboxMessage, { id });
    assert.deepEqual({ status: row.status, attempts: row.attempts }, { status: 'PENDING', attempts: 0 });
    await orm.close(true);
    await assert.rejects(cli(environment.env, 'replay', 'nobody', id), /usage/);
  } finally {
    await environment.cleanup();
  }
});

test('replay republishes a dead letter to its queue', { skip: servicesUnderTest(['RabbitMQ']) }, async () => {
  const environment = createTestEnvironment('libsql', {}, true);
  const names = brokerNames(environment.env.EVENTS_NAMESPACE);
  const connection = await amqp.connect(environment.env.AMQP_URL);
  try {
    const channel = await connection.createChannel();
    await declareTopology(channel, names, { subgraph: 'depository', routingKeys: ['users.user.registered'] }, 5);
    const messageId = newId();
    channel.sendToQueue(names.deadLetterQueue('depository'), Buffer.from('{}'), {
      messageId,
      type: 'users.user.registered',
      persistent: true,
    });
    await waitFor(async () => (await channel.checkQueue(names.deadLetterQueue('depository'))).messageCount === 1, {
      timeoutMs: 5_000,
      what: 'the dead letter is in the dead-letter queue',
    });
    assert.match(
      (await cli(environment.env, 'dead', 'depository')).stdout,
      new RegExp(`depository\\tdead-letter\\t${messageId}`),
    );
    assert.match(
      (await cli(environment.env, 'replay', 'depository', messageId)).stdout,
      /1 dead letter\(s\) republished/,
    );
    // Quorum queue counters settle a moment after the acks.
    const depths = async () => [
      (await channel.checkQueue(names.deadLetterQueue('depository'))).messageCount,
      (await channel.checkQueue(names.consumerQueue('depository'))).messageCount,
    ];
    assert.deepEqual(
      await eventually(async () => {
        const [dead, queued] = await depths();
        return dead === 0 && queued === 1 ? [dead, queued] : undefined;
      }, 5_000),
      [0, 1],
    );
  } finally {
    await connection.close();
    await environment.cleanup();
  }
});
