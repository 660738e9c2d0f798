// The gateway stays ready while it can serve part of the graph (naming what is down), and is not ready only
// when no subgraph answers: one subgraph's outage must not take every gateway out of the load balancer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayReadiness } from '../src/readiness';

/** A port nothing listens on (the discard port): connection refused at once. */
const DOWN_URL = 'http://127.0.0.1:9/graphql';
let server: http.Server;
let upUrl = '';

before(async () => {
  server = http.createServer((request, response) => {
    response.writeHead(request.url === '/readyz' ? 200 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('every subgraph answering: ready', async () => {
  assert.equal(
    await gatewayReadiness(
      new Map([
        ['users', upUrl],
        ['loans', upUrl],
      ]),
    ),
    true,
  );
});

test('one subgraph down: ready but degraded, naming it', async () => {
  assert.deepEqual(
    await gatewayReadiness(
      new Map([
        ['users', upUrl],
        ['loans', DOWN_URL],
      ]),
    ),
    {
      degraded: 'subgraphs not ready: loans',
    },
  );
});

test('no subgraph answering: not ready, naming them all', async () => {
  assert.equal(
    await gatewayReadiness(
      new Map([
        ['users', DOWN_URL],
        ['loans', DOWN_URL],
      ]),
    ),
    'subgraphs not ready: users, loans',
  );
});
