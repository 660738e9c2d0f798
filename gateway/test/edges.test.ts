// Proves the gateway's own edges, on a real gateway in this process (no subgraph is needed for any of
// them): the client address behind proxies is the X-Forwarded-For entry TRUSTED_PROXY_HOPS from the
// right; 200 subscribes sent at once on one socket get at most SUBSCRIPTIONS_PER_CONNECTION_MAX; thirty
// aliases of a 360-row scheduleQuote are refused (literal and variable forms); /dashboard sends CSP with
// frame-ancestors 'none'; /metrics needs METRICS_TOKEN in production.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { issueToken, newId, resolveJwtKeys, type HttpService } from '@wanxin/platform';
import { eventually, postGraphQL } from '@wanxin/platform/testing';
import { clientAddressOf, readGatewayConfig, startGateway } from '../src';

const METRICS_TOKEN = 'metrics-token-for-the-edges-test-0123456789';

function requestFrom(socketAddress: string, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { headers, socket: { remoteAddress: socketAddress } } as unknown as IncomingMessage;
}

test('the client address is the X-Forwarded-For entry TRUSTED_PROXY_HOPS from the right, never a client-written one', () => {
  assert.equal(clientAddressOf(requestFrom('10.0.0.9', '6.6.6.6'), 0), '10.0.0.9', 'no proxy: the header is ignored');
  assert.equal(
    clientAddressOf(requestFrom('10.0.0.9', '6.6.6.6, 1.2.3.4'), 1),
    '1.2.3.4',
    'one proxy: the entry it appended',
  );
  assert.equal(clientAddressOf(requestFrom('10.0.0.9', '6.6.6.6, 1.2.3.4, 10.0.0.8'), 2), '1.2.3.4', 'two proxies');
  assert.equal(clientAddressOf(requestFrom('10.0.0.9', '1.2.3.4'), 2), '1.2.3.4', 'a shorter header: its first entry');
  assert.equal(clientAddressOf(requestFrom('10.0.0.9'), 1), '10.0.0.9', 'no header: the socket');
  assert.equal(readGatewayConfig({ TRUST_PROXY: '1' }).trustedProxyHops, 1, 'TRUST_PROXY=1 is one hop');
  assert.equal(readGatewayConfig({ TRUSTED_PROXY_HOPS: '3' }).trustedProxyHops, 3);
});

/** Starts a gateway on a free port with its own data directory; `env` adds to the defaults. */
async function gatewayWith(env: Record<string, string>): Promise<{ service: HttpService; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-gateway-edges-'));
  const service = await startGateway(
    readGatewayConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env }),
  );
  return { service, dataDir };
}

describe('a development gateway', () => {
  let gateway: { service: HttpService; dataDir: string };
  before(async () => {
    gateway = await gatewayWith({ SUBSCRIPTIONS_PER_CONNECTION_MAX: '25' });
  });
  after(async () => {
    await gateway?.service.stop();
    fs.rmSync(gateway.dataDir, { recursive: true, force: true });
  });

  test('200 subscribes sent at once on one socket: 25 are held, 175 refused', async () => {
    const config = readGatewayConfig({ DATA_DIR: gateway.dataDir });
    const { token } = issueToken({ id: newId(), role: 'ADMIN' }, resolveJwtKeys(config.platform).privateKeyPem!, 600);
    const socket = new WebSocket(gateway.service.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const refused = new Set<string>();
    const acknowledged = new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: { message: string }[] };
        if (message.type === 'connection_ack') resolve();
        if (message.type === 'error') {
          assert.match(message.payload?.[0]?.message ?? '', /at most 25 subscriptions per connection/);
          refused.add(message.id!);
        }
      });
      socket.on('error', reject);
    });
    try {
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      await acknowledged;
      for (let index = 0; index < 200; index += 1) {
        socket.send(
          JSON.stringify({
            id: `s${index}`,
            type: 'subscribe',
            payload: { query: 'subscription { platformStats { date } }' },
          }),
        );
      }
      await eventually(async () => (refused.size >= 175 ? true : undefined));
      socket.send(
        JSON.stringify({
          id: 'one-more',
          type: 'subscribe',
          payload: { query: 'subscription { platformStats { date } }' },
        }),
      );
      await eventually(async () => (refused.has('one-more') ? true : undefined));
      assert.equal(refused.size, 176, 'exactly 25 of the 200 were taken, and the cap still holds');
    } finally {
      socket.close();
    }
  });

  test('thirty aliases of a 360-row scheduleQuote are refused for cost before any subgraph, as literals and as variables', async () => {
    const fields = (term: string) =>
      Array.from(
        { length: 30 },
        (_, index) =>
          `q${index}: scheduleQuote(amount: "10000.00", annualRate: "0.1", termMonths: ${term}, method: EQUAL_INSTALLMENT) { period amount }`,
      ).join(' ');
    const literal = await postGraphQL(gateway.service.url, `{ ${fields('360')} }`);
    const variables = await postGraphQL(gateway.service.url, `query($term: Int!) { ${fields('$term')} }`, {
      term: 360,
    });
    for (const answer of [literal, variables]) {
      assert.equal(answer.data, undefined);
      assert.deepEqual(
        answer.errors?.map((error) => [error.extensions?.code, error.extensions?.limit]),
        [['BAD_USER_INPUT', 'cost']],
      );
    }
  });

  test('/dashboard sends a CSP that allows only its own script and styles and forbids framing', async () => {
    const response = await fetch(gateway.service.url.replace(/\/graphql$/, '/dashboard'));
    assert.equal(response.status, 200);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /frame-ancestors 'none'/);
    assert.match(policy, /default-src 'none'/);
    // The page's script and styles are files of this origin: no inline code is allowed at all.
    assert.match(policy, /script-src 'self';/);
    assert.match(policy, /style-src 'self';/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|sha256-/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    const page = await response.text();
    assert.doesNotMatch(page, /<script>|<style>/, 'no inline script or style');
    const files = ['graphql-ws.js', 'uplot.js', 'dashboard.js', 'uplot.css', 'dashboard.css'];
    for (const src of files.map((file) => `/dashboard/${file}`)) {
      assert.ok(page.includes(`"${src}"`), `the page loads ${src}`);
      const file = await fetch(gateway.service.url.replace(/\/graphql$/, src));
      assert.equal(file.status, 200, src);
      assert.ok((await file.text()).length > 0, src);
    }
  });

  test('/dashboard/settings.json names the platformStats fields of the schema served, with their types', async () => {
    const response = await fetch(gateway.service.url.replace(/\/graphql$/, '/dashboard/settings.json'));
    assert.equal(response.status, 200);
    const settings = (await response.json()) as { statFields: { field: string; type: string }[]; liveLoansMax: number };
    assert.ok(settings.liveLoansMax > 0);
    const types = Object.fromEntries(settings.statFields.map(({ field, type }) => [field, type]));
    assert.equal(types.amountRaisedToday, 'Money');
    assert.equal(types.installmentsOverdue, 'Int');
    assert.equal(types.lastReconciledDate, 'Date');
    assert.equal(types.date, undefined);
  });

  test('/metrics is open in development', async () => {
    assert.equal((await fetch(gateway.service.url.replace(/\/graphql$/, '/metrics'))).status, 200);
  });
});

describe('a production gateway', () => {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const production = {
    NODE_ENV: 'production',
    JWT_PUBLIC_KEY: keys.publicKey,
    INTERNAL_API_SECRET: 'internal-secret-for-the-edges-test-0123456789',
  };
  const started: { service: HttpService; dataDir: string }[] = [];
  after(async () => {
    for (const gateway of started) {
      await gateway.service.stop();
      fs.rmSync(gateway.dataDir, { recursive: true, force: true });
    }
  });
  const metricsStatus = async (gateway: { service: HttpService }, authorization?: string) =>
    (
      await fetch(gateway.service.url.replace(/\/graphql$/, '/metrics'), {
        headers: authorization === undefined ? {} : { authorization },
      })
    ).status;

  test('/metrics answers only the bearer of METRICS_TOKEN', async () => {
    const gateway = await gatewayWith({ ...production, METRICS_TOKEN });
    started.push(gateway);
    assert.equal(await metricsStatus(gateway), 401);
    assert.equal(await metricsStatus(gateway, 'Bearer not-the-metrics-token-not-the-metrics-token'), 401);
    assert.equal(await metricsStatus(gateway, `Bearer ${METRICS_TOKEN}`), 200);
  });

  test('/metrics is closed without METRICS_TOKEN', async () => {
    const gateway = await gatewayWith(production);
    started.push(gateway);
    assert.equal(await metricsStatus(gateway), 401);
  });

  test('refuses to start without INTERNAL_API_SECRET, which subgraphs need to trust its client addresses', () => {
    const { INTERNAL_API_SECRET: _omitted, ...withoutSecret } = production;
    assert.throws(() => readGatewayConfig(withoutSecret), /INTERNAL_API_SECRET/);
  });
});
