// Proves `npm start`'s all-in-one process (embedded SQLite, in-process events, no services) serves the
// same platform: the bootstrap admin, register (more than production's 10 an hour from one address), an
// event that opens the depository row, a query that crosses subgraphs, the operations routes behind
// METRICS_TOKEN when it is set, and a graceful stop on SIGTERM; and that it refuses NODE_ENV=production
// without admin credentials given explicitly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { dataOf, eventually, freePort, postGraphQL } from '@wanxin/platform/testing';
import { REPOSITORY_ROOT, spawnService } from './harness/processes';

const METRICS_TOKEN = 'metrics-token-for-the-embedded-test-0123456789';

/** The launcher takes PORT, PORT+1…PORT+5 (subgraphs), +6 (bank), +7…+9 (providers): ten free ports in a row. */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const base = await freePort();
    if (base + count >= 65535) continue;
    const ports = await Promise.all(Array.from({ length: count - 1 }, (_, index) => isFree(base + 1 + index)));
    if (ports.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

test('the embedded launcher runs the whole platform in one process on SQLite', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-embedded-'));
  const basePort = await freePortRange(10);
  const launcher = spawnService('embedded', 'infra/launcher/dist/src/embedded.js', basePort, {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    METRICS_TOKEN,
  });
  try {
    await launcher.waitUntilReady();
    assert.match(launcher.output, /admin login\s+mobile 13900000000\s+password wanxin-admin-1/);
    const admin = dataOf(
      await postGraphQL(
        launcher.url,
        'mutation { login(mobile: "13900000000", password: "wanxin-admin-1") { user { role } } }',
      ),
    ).login;
    assert.equal(admin.user.role, 'ADMIN');
    const register = `mutation { register(input: { mobile: "13800000001", password: "secret-pass-1", role: INVESTOR }) { token } }`;
    const { token } = dataOf(await postGraphQL(launcher.url, register)).register;
    const query =
      '{ me { role depositoryAccount { status } loans { totalCount } bids { totalCount } receivables { totalCount } } }';
    // The depository row comes from users.user.registered through the outbox and the in-process transport.
    const me = await eventually(async () => {
      const answer = dataOf(await postGraphQL(launcher.url, query, {}, token)).me;
      return answer.depositoryAccount === null ? undefined : answer;
    });
    assert.deepEqual(me, {
      role: 'INVESTOR',
      depositoryAccount: { status: 'NOT_OPENED' },
      loans: { totalCount: 0 },
      bids: { totalCount: 0 },
      receivables: { totalCount: 0 },
    });
    const more = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        postGraphQL(
          launcher.url,
          `mutation { register(input: { mobile: "138000002${String(index).padStart(2, '0')}", password: "secret-pass-1", role: BORROWER }) { token } }`,
        ),
      ),
    );
    assert.deepEqual(
      more.map((answer) => answer.errors),
      Array(12).fill(undefined),
      'a demo registers more than production allows per address',
    );
    const opsRoutes = [
      `http://127.0.0.1:${basePort}/metrics`,
      `http://127.0.0.1:${basePort + 1}/metrics`,
      `http://127.0.0.1:${basePort + 6}/ledger/check`,
      `http://127.0.0.1:${basePort + 9}/admin/messages?mobile=13800000001`,
    ];
    for (const url of opsRoutes) {
      assert.equal((await fetch(url)).status, 401, `${url} without the token`);
      assert.equal(
        (await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status,
        200,
        `${url} with it`,
      );
    }
    for (const port of [basePort + 7, basePort + 8, basePort + 9]) {
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200, `provider simulator on ${port}`);
    }
    const outage = { method: 'POST', body: JSON.stringify({ downForMs: 0 }) };
    const outageUrl = `http://127.0.0.1:${basePort + 8}/admin/outage`;
    assert.equal((await fetch(outageUrl, outage)).status, 401, 'the outage switch without the token');
    const authorized = { ...outage, headers: { authorization: `Bearer ${METRICS_TOKEN}` } };
    assert.equal((await fetch(outageUrl, authorized)).status, 200, 'the outage switch with it');
    for (const name of ['users', 'loans', 'bids', 'repayments', 'depository', 'identity', 'risk', 'sms']) {
      assert.ok(fs.existsSync(path.join(dataDir, `wanxin_${name}.db`)), `${name} has its own SQLite file`);
    }
    assert.equal(await launcher.stop(), 0);
  } finally {
    await launcher.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a normal start and a registration log human-readable lines and no warning', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-embedded-'));
  // LOG_FORMAT=pretty stands for the terminal `npm start` writes to (here stdout is a pipe).
  const launcher = spawnService('embedded', 'infra/launcher/dist/src/embedded.js', await freePortRange(10), {
    DATA_DIR: dataDir,
    LOG_FORMAT: 'pretty',
  });
  try {
    await launcher.waitUntilReady();
    const register = `mutation { register(input: { mobile: "13800000002", password: "secret-pass-2", role: BORROWER }) { token } }`;
    const { token } = dataOf(await postGraphQL(launcher.url, register)).register;
    // The depository row comes by event: both the bootstrap admin's and this user's were published and consumed.
    await eventually(
      async () =>
        dataOf(await postGraphQL(launcher.url, '{ me { depositoryAccount { status } } }', {}, token)).me
          .depositoryAccount ?? undefined,
    );
    assert.equal(await launcher.stop(), 0);
    const logLines = launcher.output.split('\n').filter((line) => /^\d{2}:\d{2}:\d{2}\.\d{3} /.test(line));
    assert.ok(
      logLines.some((line) => / INFO  gateway  gateway listening {2}url=http/.test(line)),
      launcher.output,
    );
    assert.equal(launcher.output.includes('{"level"'), false, 'no JSON line');
    assert.deepEqual(
      logLines.filter((line) => / (WARN|ERROR|FATAL) /.test(line)),
      [],
      'no warning on a normal start',
    );
    assert.doesNotMatch(launcher.output, /deprecat|unroutable|Warning:/i);
  } finally {
    await launcher.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the embedded launcher refuses NODE_ENV=production unless admin credentials are given explicitly', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-embedded-production-'));
  try {
    const child = spawn(process.execPath, [path.join(REPOSITORY_ROOT, 'infra/launcher/dist/src/embedded.js')], {
      cwd: REPOSITORY_ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, NODE_ENV: 'production', PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(output, /WANXIN_ADMIN_MOBILE and WANXIN_ADMIN_PASSWORD must be set explicitly/);
    assert.deepEqual(fs.readdirSync(dataDir), [], 'nothing was started or created');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
