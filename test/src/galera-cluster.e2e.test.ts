// What a three-node MariaDB Galera cluster (Debian's galera-4, private nodes on loopback ports) does to the
// statements Wanxin relies on, found out for real before services run on it:
// - a row written on one node is read on the others at once (wsrep_sync_wait, as the services set it);
// - `SELECT … FOR UPDATE SKIP LOCKED` and conditional UPDATEs lock only on their own node: two claims of
//   one row on two nodes both go ahead, and certification aborts the later commit with ER_LOCK_DEADLOCK
//   (1213) — the error the platform's lock-conflict retry already takes, after which the claim is seen;
// - a node SIGKILLed leaves the other two serving writes, and started again it catches up by IST.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { GaleraCluster, galeraInstalled } from './harness/galera-cluster';

const skip = servicesUnderTest(
  [],
  [{ missing: !galeraInstalled(), reason: 'mariadb-server with galera-4 is not installed' }],
);

describe('a three-node Galera cluster under the statements Wanxin uses', { skip }, () => {
  let cluster: GaleraCluster;
  const connect = (index: number) =>
    mysql.createConnection({ uri: cluster.url(index).replace(/^mariadb:/, 'mysql:'), database: 'claims' });

  before(async () => {
    const startedAt = Date.now();
    cluster = await GaleraCluster.start(3);
    console.log(`galera: three nodes SYNCED in ${Date.now() - startedAt} ms`);
    const first = await mysql.createConnection({ uri: cluster.url(0).replace(/^mariadb:/, 'mysql:') });
    await first.query('create database claims');
    await first.query('create table claims.outbox (id int primary key, lease_owner varchar(16) null)');
    await first.end();
  });
  after(async () => cluster?.stop());

  test('a row written on one node is read on the others with wsrep_sync_wait', async () => {
    const [writer, reader2, reader3] = await Promise.all([connect(0), connect(1), connect(2)]);
    try {
      await writer.query('insert into outbox (id) values (1), (2), (3)');
      for (const reader of [reader2, reader3]) {
        await reader.query('set session wsrep_sync_wait = 1');
        const [rows] = await reader.query('select count(*) as count from outbox');
        assert.equal(Number((rows as { count: number }[])[0].count), 3);
      }
    } finally {
      await Promise.all([writer.end(), reader2.end(), reader3.end()]);
    }
  });

  test('two SKIP LOCKED claims of one row on two nodes: the later commit fails certification with 1213', async () => {
    const [first, second] = await Promise.all([connect(0), connect(1)]);
    const claim = 'select id from outbox where lease_owner is null order by id limit 1 for update skip locked';
    try {
      await first.beginTransaction();
      await second.beginTransaction();
      const [[onFirst], [onSecond]] = (await Promise.all([first.query(claim), second.query(claim)])) as unknown as [
        { id: number }[],
        { id: number }[],
      ][];
      assert.deepEqual([onFirst[0].id, onSecond[0].id], [1, 1], "neither node sees the other's lock");
      await first.query("update outbox set lease_owner = 'first' where id = 1");
      await first.commit();
      const late = await second
        .query("update outbox set lease_owner = 'second' where id = 1")
        .then(() => second.commit())
        .then(
          () => undefined,
          (error: { errno?: number }) => error.errno,
        );
      assert.equal(late, 1213, 'certification aborts the second claim as a deadlock');
      await second.rollback().catch(() => undefined);
      const [rows] = await second.query('select lease_owner as owner from outbox where id = 1');
      assert.equal((rows as { owner: string }[])[0].owner, 'first', 'retried, the claim is seen as taken');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
  });

  test('a node SIGKILLed: the others go on writing, and it rejoins by IST with every write', async () => {
    await cluster.kill9(2);
    await eventually(async () => ((await cluster.sizeSeenBy(0)) === 2 ? true : undefined), 60_000);
    const writer = await connect(0);
    try {
      for (let id = 10; id < 20; id += 1) await writer.query('insert into outbox (id) values (?)', [id]);
    } finally {
      await writer.end();
    }
    const rejoin = await cluster.rejoin(2);
    console.log(`galera: node 3 rejoined in ${rejoin.ms} ms by ${rejoin.transfer}`);
    assert.equal(rejoin.transfer, 'IST', 'its position was recovered, so the donor sent only what it missed');
    assert.equal(await cluster.sizeSeenBy(2), 3);
    const reader = await connect(2);
    try {
      const [rows] = await reader.query('select count(*) as count from outbox where id >= 10');
      assert.equal(Number((rows as { count: number }[])[0].count), 10);
    } finally {
      await reader.end();
    }
  });
});
