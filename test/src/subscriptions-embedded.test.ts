// Proves the same subscription code runs in `npm start`'s all-in-one process, where events travel on the
// in-process transport instead of RabbitMQ: a loanFunding subscriber receives the event of an accepted
// bid with fields of every owning subgraph; and a connection whose token expires is closed with 4401.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { issueToken, loadConfig, readPlatformConfig, resolveJwtKeys } from '@wanxin/platform';
import { dataOf, eventually, TEST_ADMIN_ENV } from '@wanxin/platform/testing';
import { MarketplaceClient } from './harness/marketplace';
import { spawnService, type ServiceProcess } from './harness/processes';
import { connectSubscriptions, gatewayMetric, subscribed, watch } from './harness/subscription-client';

/** The launcher's gateway, five subgraphs and bank take PORT…PORT+6. */
const LAUNCHER_PORTS = 7;

/** A base port with the next LAUNCHER_PORTS - 1 ports free too, found by holding them all at once. */
async function launcherBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const held: net.Server[] = [];
    for (let offset = 0; offset < LAUNCHER_PORTS; offset += 1) {
      const server = net.createServer();
      const listening = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(base + offset, '127.0.0.1', () => resolve(true));
      });
      if (!listening) break;
      held.push(server);
    }
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    if (held.length === LAUNCHER_PORTS) return base;
  }
  throw new Error(`no ${LAUNCHER_PORTS} consecutive free ports`);
}

describe('subscriptions in the embedded launcher (in-process events, SQLite)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-subscriptions-'));
  let launcher: ServiceProcess;
  let client: MarketplaceClient;
  const clients: Client[] = [];

  before(async () => {
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...TEST_ADMIN_ENV };
    launcher = spawnService('embedded', 'infra/launcher/dist/src/embedded.js', await launcherBasePort(), env);
    await launcher.waitUntilReady();
    client = new MarketplaceClient({ gateway: launcher });
  });
  after(async () => {
    for (const client of clients) await client.dispose();
    await launcher?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('loanFunding delivers an accepted bid with loans, bids and users fields', async () => {
    const admin = await client.adminToken();
    const borrower = await client.member('13700000001', 'BORROWER', '110105198912310028');
    const investor = await client.member('13700000002', 'INVESTOR', '110101199003071233', '3000.00');
    const { id: loanId } = await client.publishLoan(borrower, '2000.00');
    await client.approveLoan(admin, loanId);
    const connection = connectSubscriptions(launcher.url, borrower);
    clients.push(connection.client);
    const query =
      'subscription($loanId: ID!) { loanFunding(loanId: $loanId) { loan { title borrower { mobile } } funding { raised progress } lastBid { id amount investor { role } } } }';
    const watched = watch<{ lastBid: { id: string } | null; loan: unknown; funding: unknown }>(
      connection.client,
      'loanFunding',
      query,
      { loanId },
    );
    await subscribed(launcher.url, 1);
    const bidId = dataOf(await client.firstBid(loanId, '2000.00', investor)).placeBid.id;
    const event = await eventually(async () => watched.events.find((candidate) => candidate.lastBid?.id === bidId));
    assert.deepEqual(event, {
      loan: { title: '装修贷款', borrower: { mobile: '13700000001' } },
      funding: { raised: '2000.00', progress: 1 },
      lastBid: { id: bidId, amount: '2000.00', investor: { role: 'INVESTOR' } },
    });
    assert.equal(watched.errors, undefined);
  });

  test('a connection whose token expires is closed with 4401', async () => {
    const keys = resolveJwtKeys(loadConfig({ DATA_DIR: dataDir }, readPlatformConfig));
    const admin = await client.adminToken();
    const adminId = dataOf(await client.gateway('{ me { id } }', {}, admin)).me.id;
    const shortLived = issueToken({ id: adminId, role: 'ADMIN' }, keys.privateKeyPem!, 2).token;
    const baseline = await gatewayMetric(launcher.url, 'wanxin_subscription_subscribers');
    const connection = connectSubscriptions(launcher.url, shortLived);
    clients.push(connection.client);
    const watched = watch(
      connection.client,
      'platformStats',
      'subscription { platformStats { date loansFundraising } }',
    );
    await subscribed(launcher.url, baseline + 1);
    await eventually(async () => (connection.closeCodes.length > 0 ? true : undefined));
    assert.deepEqual(connection.closeCodes, [4401]);
    assert.equal(watched.closeCode, 4401);
  });
});
