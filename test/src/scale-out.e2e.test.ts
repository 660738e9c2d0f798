// The production shape scaled out for real (harness/scaled-platform.ts): a three-node Galera cluster, a
// three-node RabbitMQ cluster, two replicas of every subgraph and two gateways behind HAProxy, the bank and the
// providers once each. A marketplace lifecycle runs through HAProxy — members registered and verified, a loan
// reviewed, funded by two investors, paid out, its first installment collected on its due day — while one
// replica of each service is SIGKILLed in turn and started again, a RabbitMQ node is SIGKILLed while the loan's
// events cross the cluster and a Galera node while the due day runs. Afterwards every saga finished, every
// outbox row went out, each database was migrated once by its two replicas started together, the bank's
// ledger checks out, the first day reconciles with the bank and each account holds what the loan says, to
// the fen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { databaseName, parseMoney, SUBGRAPH_NAMES } from '@wanxin/platform';
import { dataOf, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { galeraInstalled } from './harness/galera-cluster';
import { haproxyInstalled } from './harness/haproxy';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { rabbitmqServerInstalled } from './harness/private-broker';
import { REPLICATED, startScaledPlatform, type ScaledPlatform } from './harness/scaled-platform';

const skip = servicesUnderTest(
  ['MariaDB', 'RabbitMQ'],
  [
    { missing: !galeraInstalled(), reason: 'galera-4 is not installed' },
    { missing: !rabbitmqServerInstalled(), reason: 'rabbitmq-server is not installed' },
    { missing: !haproxyInstalled(), reason: 'haproxy is not installed' },
  ],
);
const RECEIVABLES =
  '{ me { receivables(first: 100) { edges { node { principal interest status installment { period } } } } } }';
const RECONCILIATION =
  'query($d: Date!) { reconciliation(date: $d) { matched platformAmount bankAmount discrepancies { requestNo result } } }';
const RUN = 'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate installmentsRepaid } }';

describe('scaled out: Galera, a RabbitMQ cluster, two replicas of everything behind HAProxy', { skip }, () => {
  let platform: ScaledPlatform;
  let client: MarketplaceClient;
  const recoveries: string[] = [];

  before(async () => {
    const startedAt = Date.now();
    platform = await startScaledPlatform();
    console.log(`scale-out: the whole shape ready in ${Date.now() - startedAt} ms`);
    client = new MarketplaceClient(platform);
  });
  after(async () => {
    if (recoveries.length > 0) console.log(['scale-out recoveries:', ...recoveries].join('\n'));
    await platform?.stop();
  });

  /** SIGKILLs replica 1 of `name`, lets `meanwhile` run on the survivors, starts it again. */
  const withReplicaKilled = async <T>(name: (typeof REPLICATED)[number], meanwhile: () => Promise<T>) => {
    await platform.killReplica(name, 0);
    const result = await meanwhile();
    const startedAt = Date.now();
    await platform.startReplica(name, 0);
    recoveries.push(`  ${name} replica 1 SIGKILLed, restarted and ready in ${Date.now() - startedAt} ms`);
    return result;
  };

  /** SIGKILLs RabbitMQ node `index` while `meanwhile` runs, then starts it again (it rejoins its cluster). */
  const withBrokerNodeKilled = async <T>(index: number, meanwhile: () => Promise<T>) => {
    await platform.brokers[index].kill9();
    const result = await meanwhile();
    const startedAt = Date.now();
    await platform.brokers[index].restart();
    recoveries.push(
      `  RabbitMQ node ${index + 1} SIGKILLed, restarted and in its cluster in ${Date.now() - startedAt} ms`,
    );
    return result;
  };
  /** SIGKILLs Galera node `index` while `meanwhile` runs, then lets it rejoin the cluster. */
  const withGaleraNodeKilled = async <T>(index: number, meanwhile: () => Promise<T>) => {
    await platform.galera.kill9(index);
    const result = await meanwhile();
    const rejoin = await platform.galera.rejoin(index);
    recoveries.push(
      `  Galera node ${index + 1} SIGKILLed, rejoined by ${rejoin.transfer} and SYNCED in ${rejoin.ms} ms`,
    );
    return result;
  };

  test('a loan from review to its first due day with a node of each cluster and a replica of each service killed', async () => {
    const admin = await withReplicaKilled('gateway', () => client.adminToken());
    const borrower = await withReplicaKilled('users', () =>
      client.member(identityFor(1).mobile, 'BORROWER', identityFor(1).idNumber, '500.00'),
    );
    const investors = await withReplicaKilled('depository', async () => [
      await client.member(identityFor(2).mobile, 'INVESTOR', identityFor(2).idNumber, '3000.00'),
      await client.member(identityFor(3).mobile, 'INVESTOR', identityFor(3).idNumber, '2000.00'),
    ]);
    // The loan's events (opened, funded, paid out) cross the RabbitMQ cluster with its first node down.
    const { loanId, schedule } = await withReplicaKilled('bids', () =>
      withBrokerNodeKilled(0, () =>
        client.repayingLoan(admin, borrower, '5000.00', 3, [
          [investors[0], '3000.00'],
          [investors[1], '2000.00'],
        ]),
      ),
    );
    const first = schedule[0];
    // The due day runs with a Galera node down: the replicas on it are out of HAProxy until it rejoins.
    await withGaleraNodeKilled(2, () =>
      withReplicaKilled('repayments', async () =>
        assert.equal(dataOf(await client.gateway(RUN, { d: first.dueDate }, admin)).runDailyJobs.installmentsRepaid, 1),
      ),
    );
    await withReplicaKilled('loans', async () => {
      const row = await eventually(async () => {
        const current = (await client.loanSchedule(loanId, borrower)).schedule[0];
        return current.status === 'REPAID' ? current : undefined;
      }, 60_000);
      assert.equal(row.amount, first.amount);
    });

    // To the fen: the borrower got 5,000.00 and paid installment 1; the investors received their shares of it.
    const balance = async (token: string) => parseMoney((await client.balances(token)).balance);
    const paidFen = parseMoney(first.amount);
    await eventually(async () => ((await balance(borrower)) === 500_00n + 5_000_00n - paidFen ? true : undefined));
    for (const investor of investors) {
      const rows = dataOf(await client.gateway(RECEIVABLES, {}, investor)).me.receivables.edges as {
        node: { principal: string; interest: string; status: string; installment: { period: number } };
      }[];
      const period1 = rows.map((edge) => edge.node).filter((row) => row.installment.period === 1);
      assert.deepEqual(
        period1.map((row) => row.status),
        ['RECEIVED'],
      );
      const dueFen = parseMoney(period1[0].principal) + parseMoney(period1[0].interest);
      await eventually(async () => ((await balance(investor)) === dueFen ? true : undefined), 60_000);
    }
    const ledger = (await (await fetch(`http://127.0.0.1:${platform.bank.port}/ledger/check`)).json()) as {
      ok: boolean;
      problems: string[];
    };
    assert.deepEqual(ledger.problems, []);
    // The first day (members, the loan funded and paid out) reconciles with the bank's file.
    const report = dataOf(
      await client.gateway(RECONCILIATION, { d: new Date().toISOString().slice(0, 10) }, admin),
    ).reconciliation;
    assert.deepEqual(report.discrepancies, [], 'no request of the day differs');
    assert.ok(report.matched > 0);
    assert.equal(report.platformAmount, report.bankAmount);

    // Every event went out: no outbox row of any subgraph is left unsent; and the two replicas that started
    // together migrated each database once.
    for (const name of SUBGRAPH_NAMES) {
      const connection = await mysql.createConnection({
        uri: platform.galera.url(0).replace(/^mariadb:/, 'mysql:'),
        database: databaseName(platform.environment.config, name),
      });
      try {
        const [migrations] = await connection.query(
          'select count(*) - count(distinct name) as repeated from mikro_orm_migrations',
        );
        assert.equal(Number((migrations as { repeated: number }[])[0].repeated), 0, `${name} migrated once`);
        await eventually(async () => {
          const [rows] = await connection.query("select count(*) as unsent from outbox where status <> 'SENT'");
          return Number((rows as { unsent: number }[])[0].unsent) === 0 ? true : undefined;
        }, 60_000);
      } finally {
        await connection.end();
      }
    }
  });
});
