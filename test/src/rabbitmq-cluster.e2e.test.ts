// A three-node RabbitMQ cluster (Debian's rabbitmq-server, private nodes sharing one cookie, beside the
// shared broker) as Wanxin's queues use it: a quorum queue declared with `x-quorum-initial-group-size` 3 has a
// member on every node; with one node SIGKILLed the queue keeps its leader (two of three is a majority),
// takes publishes with confirms and delivers them through another node; the node started again is a member
// again and nothing published was lost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { PrivateBroker, rabbitmqServerInstalled } from './harness/private-broker';
import { sleep } from './harness/timing';

const skip = servicesUnderTest(
  [],
  [{ missing: !rabbitmqServerInstalled(), reason: 'rabbitmq-server is not installed' }],
);
const QUEUE = 'wanxin.cluster-probe';
const MESSAGES = 200;
const PUBLISH_ATTEMPTS_MAX = 20;
const PUBLISH_RETRY_DELAY_MS = 200;

describe('a three-node RabbitMQ cluster with quorum queues on every node', { skip }, () => {
  const nodes: PrivateBroker[] = [];

  /** The queue's members, as node `index` lists them. */
  const members = async (index: number) => {
    const listing = await nodes[index].ctl(['list_queues', '--quiet', '--no-table-headers', 'name', 'members']);
    const line = listing.split('\n').find((row) => row.startsWith(QUEUE));
    return line === undefined ? [] : [...line.matchAll(/[\w.-]+@localhost/g)].map((match) => match[0]).sort();
  };
  /**
   * Publishes with confirms, as the outbox relay does: a message the broker nacks (its queue's leader died) is
   * sent again, a bounded number of times, on a new channel — RabbitMQ 3.10's channel that saw the nack keeps
   * nacking that queue after the new leader is elected, while a new channel is served at once. Returns how
   * many were sent again.
   */
  const publish = async (index: number, bodies: readonly string[]) => {
    const connection = await amqp.connect(nodes[index].url);
    let pending = [...bodies];
    let resent = 0;
    try {
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        assert.ok(attempt < PUBLISH_ATTEMPTS_MAX, `${pending.length} messages still nacked`);
        const channel = await connection.createConfirmChannel();
        const nacked: string[] = [];
        await Promise.all(
          pending.map(
            (body) =>
              new Promise<void>((resolve) =>
                channel.sendToQueue(QUEUE, Buffer.from(body), { persistent: true }, (error) => {
                  if (error !== null && error !== undefined) nacked.push(body);
                  resolve();
                }),
              ),
          ),
        );
        await channel.close();
        if (attempt > 0) resent += pending.length;
        pending = nacked;
        if (nacked.length > 0) await sleep(PUBLISH_RETRY_DELAY_MS);
      }
    } finally {
      await connection.close();
    }
    return resent;
  };

  const drain = async (index: number) => {
    const connection = await amqp.connect(nodes[index].url);
    const channel = await connection.createChannel();
    const bodies: string[] = [];
    for (;;) {
      const message = await channel.get(QUEUE, { noAck: false });
      if (message === false) break;
      bodies.push(message.content.toString());
      channel.ack(message);
    }
    await connection.close();
    return bodies;
  };

  before(async () => {
    const startedAt = Date.now();
    const cookie = randomBytes(16).toString('hex').toUpperCase();
    for (let index = 0; index < 3; index += 1) nodes.push(await PrivateBroker.start({ cookie }));
    for (const node of nodes.slice(1)) await node.joinCluster(nodes[0]);
    console.log(`rabbitmq: three nodes clustered in ${Date.now() - startedAt} ms`);
  });
  after(async () => {
    for (const node of nodes) await node.stop();
  });

  test('a quorum queue declared with group size 3 has a member on every node', async () => {
    const connection = await amqp.connect(nodes[0].url);
    const channel = await connection.createChannel();
    await channel.assertQueue(QUEUE, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-quorum-initial-group-size': 3 },
    });
    await connection.close();
    assert.deepEqual(await members(1), nodes.map((node) => node.nodeName).sort());
  });

  test('one node SIGKILLed: publishes and deliveries go on through the others; back, it is a member again', async () => {
    const bodies = Array.from({ length: MESSAGES }, (_, index) => `m${index}`);
    await publish(0, bodies.slice(0, MESSAGES / 2));
    const killedAt = Date.now();
    await nodes[0].kill9();
    const resent = await publish(1, bodies.slice(MESSAGES / 2));
    console.log(
      `rabbitmq: ${MESSAGES / 2} publishes confirmed through another node ${Date.now() - killedAt} ms after a node ` +
        `was killed (${resent} sent again after a nack while the queue elected a leader)`,
    );
    const restartedAt = Date.now();
    await nodes[0].restart();
    await eventually(async () => ((await members(0)).length === 3 ? true : undefined), 60_000);
    console.log(`rabbitmq: the killed node was a member again ${Date.now() - restartedAt} ms after its restart`);
    // At least once: a nacked message may have been enqueued after all; consumers' inboxes take duplicates.
    const drained = await drain(2);
    assert.deepEqual([...new Set(drained)].sort(), [...bodies].sort(), 'every confirmed message');
    assert.ok(drained.length - bodies.length <= resent, 'duplicates only of what was sent again');
  });
});
