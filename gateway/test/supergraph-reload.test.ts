// Proves a subgraph deploy needs no gateway restart: the gateway follows SUPERGRAPH_PATH. Under a steady
// load of queries, the file is overwritten in place first with half of a new supergraph (refused, logged,
// the old one kept) and then with all of it: no request fails at any point, and the field the new
// supergraph adds answers through the same gateway process. Then, on the follower alone: a file renamed
// over the old one (how deploy tools and Kubernetes ConfigMaps swap files) is taken, one over the size
// bound is refused, and polling alone finds a change when no watch event is heard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildSchema, graphql } from 'graphql';
import { composeSupergraph, createLogger, type HttpService } from '@wanxin/platform';
import { postGraphQL, waitFor } from '@wanxin/platform/testing';
import { readGatewayConfig, startGateway } from '../src';
import { SupergraphFile, type SupergraphOutcome } from '../src/supergraph-file';

const SCHEMA_DIRECTORY = path.resolve(__dirname, '../../../schema');
const PLATFORM_SUBGRAPHS = ['users', 'loans', 'bids', 'repayments', 'depository', 'events'];
/** Clients querying at once while the file changes. */
const CLIENTS = 8;
const WAIT_MS = 20_000;

/** A subgraph deployed with a new field (probeAdded) before the supergraph that routes to it. */
async function startProbeSubgraph(): Promise<{ url: string; server: http.Server }> {
  const schema = buildSchema('type Query { probe: String probeAdded: String }');
  const rootValue = { probe: 'still here', probeAdded: 'added' };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      void graphql({ schema, source: query, variableValues: variables, rootValue }).then((result) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/** The platform's supergraph plus the probe subgraph with the fields given. */
async function supergraphWithProbe(probeUrl: string, probeFields: string): Promise<string> {
  const platform = PLATFORM_SUBGRAPHS.map((name) => ({
    name,
    url: `http://localhost:4999/${name}`,
    sdl: fs.readFileSync(path.join(SCHEMA_DIRECTORY, `${name}.graphql`), 'utf8'),
  }));
  const probeSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { ${probeFields} }`;
  const composed = await composeSupergraph([], [...platform, { name: 'probe', url: probeUrl, sdl: probeSdl }]);
  return composed.files.get('supergraph.graphql')!;
}

/** Clients each querying in a loop until stopped; every answer that is not `probe: "still here"` is kept. */
function startLoad(graphqlUrl: string) {
  let running = true;
  let answered = 0;
  const failures: unknown[] = [];
  const loops = Array.from({ length: CLIENTS }, async () => {
    while (running) {
      const response = await postGraphQL(graphqlUrl, '{ probe }').catch((error: unknown) => ({ error }));
      if ('data' in response && response.data?.probe === 'still here' && response.errors === undefined) answered += 1;
      else failures.push(response);
    }
  });
  return {
    answered: () => answered,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { answered, failures };
    },
  };
}

async function metricValue(baseUrl: string, outcome: SupergraphOutcome): Promise<number> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  const line = text
    .split('\n')
    .find(
      (entry) => entry.startsWith('wanxin_gateway_supergraph_updates_total{') && entry.includes(`outcome="${outcome}"`),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('a gateway swapping its supergraph under load', () => {
  let directory: string;
  let probe: { url: string; server: http.Server };
  let gateway: HttpService;
  let supergraphPath: string;
  let graphqlUrl: string;
  before(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-supergraph-reload-'));
    probe = await startProbeSubgraph();
    supergraphPath = path.join(directory, 'supergraph.graphql');
    fs.writeFileSync(supergraphPath, await supergraphWithProbe(probe.url, 'probe: String'));
    const env = { DATA_DIR: directory, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' };
    gateway = await startGateway(readGatewayConfig({ ...env, SUPERGRAPH_PATH: supergraphPath }));
    graphqlUrl = gateway.url;
  });
  after(async () => {
    await gateway?.stop();
    probe?.server.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  test('half a file is refused, the whole one taken, and no query fails meanwhile', async (t) => {
    const before = await postGraphQL(graphqlUrl, '{ probeAdded }');
    assert.equal(before.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', 'not in the first supergraph');
    const load = startLoad(graphqlUrl);
    await waitFor(() => load.answered() >= CLIENTS, { timeoutMs: WAIT_MS, what: 'the load is running' });
    const next = await supergraphWithProbe(probe.url, 'probe: String probeAdded: String');
    fs.writeFileSync(supergraphPath, next.slice(0, Math.floor(next.length / 2)));
    await waitFor(async () => (await metricValue(gateway.url, 'refused')) === 1, {
      timeoutMs: WAIT_MS,
      what: 'the half-written supergraph is refused',
    });
    const stillOld = await postGraphQL(graphqlUrl, '{ probeAdded }');
    assert.equal(stillOld.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', 'the old supergraph is kept');
    const answeredBeforeSwap = load.answered();
    fs.writeFileSync(supergraphPath, next);
    await waitFor(async () => (await postGraphQL(graphqlUrl, '{ probeAdded }')).data?.probeAdded === 'added', {
      timeoutMs: WAIT_MS,
      what: 'the added field answers',
    });
    await waitFor(() => load.answered() >= answeredBeforeSwap + CLIENTS, {
      timeoutMs: WAIT_MS,
      what: 'the load ran through the swap',
    });
    const { answered, failures } = await load.stop();
    t.diagnostic(`${answered} queries answered by ${CLIENTS} clients across both swaps, ${failures.length} failed`);
    assert.deepEqual(failures, [], 'no query failed during the swaps');
    assert.ok(answered > answeredBeforeSwap, 'queries were answered after the swap too');
    assert.equal(await metricValue(gateway.url, 'applied'), 1);
    assert.equal(await metricValue(gateway.url, 'refused'), 1, 'the half file was reported once');
  });
});

describe('the supergraph follower', () => {
  const logger = createLogger('gateway', 'silent');
  let directory: string;
  let first: string;
  let second: string;
  before(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-supergraph-follow-'));
    first = await supergraphWithProbe('http://127.0.0.1:1/graphql', 'probe: String');
    second = await supergraphWithProbe('http://127.0.0.1:1/graphql', 'probe: String probeAdded: String');
  });
  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  /** A follower of `file` whose updates are recorded (what Apollo's callback would build is not needed here). */
  async function follow(file: string, options: { pollIntervalMs: number; debounceMs?: number; bytesMax?: number }) {
    const updates: string[] = [];
    const outcomes: SupergraphOutcome[] = [];
    const follower = new SupergraphFile({
      path: file,
      pollIntervalMs: options.pollIntervalMs,
      debounceMs: options.debounceMs ?? 10,
      bytesMax: options.bytesMax ?? 1024 * 1024,
      logger,
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    const { cleanup } = await follower.initialize({ update: (sdl) => void updates.push(sdl) });
    return { updates, outcomes, cleanup };
  }

  test('a file renamed over the old one is taken (the watch is on the directory)', async () => {
    const file = path.join(directory, 'renamed.graphql');
    fs.writeFileSync(file, first);
    const follower = await follow(file, { pollIntervalMs: 3_600_000 });
    fs.writeFileSync(`${file}.next`, second);
    fs.renameSync(`${file}.next`, file);
    await waitFor(() => follower.updates.length === 1, { timeoutMs: WAIT_MS, what: 'the renamed file is taken' });
    assert.equal(follower.updates[0], second);
    assert.deepEqual(follower.outcomes, ['applied']);
    await follower.cleanup();
  });

  test('a file over SUPERGRAPH_BYTES_MAX is refused unread, once', async () => {
    const file = path.join(directory, 'large.graphql');
    fs.writeFileSync(file, first);
    const follower = await follow(file, { pollIntervalMs: 100, bytesMax: Buffer.byteLength(first) + 10 });
    fs.writeFileSync(file, second);
    await waitFor(() => follower.outcomes.length === 1, { timeoutMs: WAIT_MS, what: 'the large file is refused' });
    assert.deepEqual(follower.updates, [], 'nothing reached the gateway');
    assert.deepEqual(follower.outcomes, ['refused']);
    await follower.cleanup();
  });

  test('polling finds a change when no watch event is heard', async () => {
    // The directory unlinked and re-created: its watch is gone, and a watch event heard before would wait
    // an hour, so only the poll can take the new file.
    const subdirectory = path.join(directory, 'polled');
    fs.mkdirSync(subdirectory);
    const file = path.join(subdirectory, 'supergraph.graphql');
    fs.writeFileSync(file, first);
    const follower = await follow(file, { pollIntervalMs: 100, debounceMs: 3_600_000 });
    fs.rmSync(subdirectory, { recursive: true });
    fs.mkdirSync(subdirectory);
    fs.writeFileSync(`${file}.next`, second);
    fs.renameSync(`${file}.next`, file);
    await waitFor(() => follower.updates.includes(second), { timeoutMs: WAIT_MS, what: 'the poll takes the new file' });
    await follower.cleanup();
  });

  test('a start on a missing file fails, naming it', () => {
    const file = path.join(directory, 'missing.graphql');
    assert.throws(
      () => new SupergraphFile({ path: file, pollIntervalMs: 100, debounceMs: 0, bytesMax: 1024, logger }),
      /missing\.graphql/,
    );
  });
});
