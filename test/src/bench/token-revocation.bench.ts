// Benchmark, not a test: what checking a token against the revocations costs a request (auth/revocations.ts:
// one primary-key read in the subgraph's own database per signed-in request), every service its own process
// on MariaDB and RabbitMQ. `{ businessDate }` is asked of repayments directly and through the gateway, one
// request at a time: anonymous (no read: the baseline, measured in the same run), with a token of a user
// never revoked (the read finds nothing), and with a new token of a user disabled and enabled again (the
// read finds the revocation, and the token is newer). A signed-in request also verifies the RS256 signature
// (as before revocations existed): what that alone costs is timed in this process and printed beside, so the
// read's share is the difference. Printed per run: requests/s, its ratio to the baseline of the same path,
// p50/p99.
//
// Run:  cd /work/main && source infra/services/env.sh && npm run bench:token-revocation
// Env:  BENCH_REQUESTS (2000 requests per variant).
import { performance } from 'node:perf_hooks';
import { loadConfig, readToken, resolveJwtKeys, type EnvReader } from '@wanxin/platform';
import { dataOf, eventually, postGraphQL } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from '../harness/marketplace';
import { announceBenchmark, formatColumns, percentile, runBenchmark } from '../harness/measure';
import { startPlatform } from '../harness/platform';

const QUERY = '{ businessDate }';
const PASSWORD = 'bench-pass-1';

interface Figures {
  name: string;
  perSecond: number;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
}

function readBenchSettings(reader: EnvReader): { requests: number } {
  return { requests: reader.int('BENCH_REQUESTS', 2000, 10, 100_000) };
}

/** Requests of one variant in a row before the next variant's turn. */
const TURN_REQUESTS = 20;

/**
 * `count` requests of each variant to `url`, one at a time, the variants taking turns of TURN_REQUESTS: on
 * a machine whose load drifts (shared with other work), the drift weighs on every variant alike.
 */
async function measureInTurns(
  url: string,
  count: number,
  variants: { name: string; token: string | undefined }[],
): Promise<Figures[]> {
  const latenciesMs = variants.map((): number[] => []);
  for (let sent = 0; sent < count; sent += TURN_REQUESTS) {
    for (const [index, { token }] of variants.entries()) {
      for (let request = 0; request < TURN_REQUESTS; request += 1) {
        const sentAtMs = performance.now();
        if (typeof dataOf(await postGraphQL(url, QUERY, {}, token)).businessDate !== 'string')
          throw new Error('no business date');
        latenciesMs[index].push(performance.now() - sentAtMs);
      }
    }
  }
  return variants.map(({ name }, index) => {
    const sorted = latenciesMs[index].sort((a, b) => a - b);
    const seconds = sorted.reduce((sum, latencyMs) => sum + latencyMs, 0) / 1000;
    return {
      name,
      perSecond: sorted.length / seconds,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
    };
  });
}

function formatTable(rows: Figures[], baseline: Figures): string[][] {
  return rows.map((row) => [
    row.name,
    row.perSecond.toFixed(0),
    `${(row.perSecond / baseline.perSecond).toFixed(2)}×`,
    row.p50Ms?.toFixed(2) ?? '-',
    row.p99Ms?.toFixed(2) ?? '-',
  ]);
}

async function main(): Promise<void> {
  const { requests } = loadConfig(process.env, readBenchSettings);
  await announceBenchmark();
  const platform = await startPlatform('mysql', true, { LOG_LEVEL: 'warn' });
  try {
    const client = new MarketplaceClient(platform);
    const admin = await client.adminToken();
    const register = 'mutation($i: RegisterInput!) { register(input: $i) { token user { id } } }';
    const signUp = async (memberNumber: number) =>
      dataOf(
        await client.gateway(register, {
          i: { mobile: identityFor(memberNumber).mobile, password: PASSWORD, role: 'INVESTOR' },
        }),
      ).register;
    const never = (await signUp(1)).token as string;
    const revoked = await signUp(2);
    const act = 'mutation($u: ID!, $a: String!) { disableUser(userId: $u, reason: $a) { id } }';
    dataOf(await client.gateway(act, { u: revoked.user.id, a: 'bench' }, admin));
    // repayments must hold the revocation before it is measured: the old token refused there shows it.
    await eventually(async () => {
      const answer = await postGraphQL(platform.subgraphs.repayments.url, QUERY, {}, revoked.token);
      return answer.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' ? true : undefined;
    }, 30_000);
    dataOf(await client.gateway(act.replace('disableUser', 'enableUser'), { u: revoked.user.id, a: 'bench' }, admin));
    const login = 'mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token } }';
    const renewed = dataOf(await client.gateway(login, { m: identityFor(2).mobile, p: PASSWORD })).login.token;

    const rows: string[][] = [];
    for (const [path, url] of [
      ['repayments directly', platform.subgraphs.repayments.url],
      ['through the gateway', platform.gateway.url],
    ] as const) {
      await measureInTurns(url, TURN_REQUESTS * 5, [{ name: 'warm-up', token: never }]);
      const figures = await measureInTurns(url, requests, [
        { name: `${path}: anonymous (baseline)`, token: undefined },
        { name: `${path}: token, never revoked`, token: never },
        { name: `${path}: new token after a revocation`, token: renewed },
      ]);
      rows.push(...formatTable(figures, figures[0]));
    }
    const { publicKeyPem } = resolveJwtKeys(platform.environment.config);
    const verifyStartedAtMs = performance.now();
    for (let index = 0; index < requests; index += 1) readToken(never, publicKeyPem);
    const verifyMs = (performance.now() - verifyStartedAtMs) / requests;
    console.log(`\n${requests} requests per variant, one at a time, the variants in turns of ${TURN_REQUESTS}`);
    console.log(`verifying a token's signature alone, in this process: ${(verifyMs * 1000).toFixed(0)} µs\n`);
    console.log(formatColumns(['run', 'requests/s', 'vs baseline', 'p50 ms', 'p99 ms'], rows));
  } finally {
    await platform.stop();
  }
}

runBenchmark(main);
