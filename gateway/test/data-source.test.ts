// Proves the gateway's data source hands on a subgraph's GraphQL errors as they are when the subgraph
// answered them with a non-2xx status (a request it could not run), instead of RemoteGraphQLDataSource's
// "401: Unauthorized" wrapper with the real error buried in extensions.response; and that a subgraph that did not
// answer in GraphQL (a proxy's 502, a refused connection) is SERVICE_UNAVAILABLE without its URL or status text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { createLogger } from '@wanxin/platform';
import { AuthorizedDataSource, type GatewayContext } from '../src/context';

const SUBGRAPH_ERROR = {
  message: 'Invalid $amount: Money: expected a string, got number',
  extensions: { code: 'BAD_USER_INPUT', field: '$amount' },
};
let server: http.Server;
let url: string;

before(async () => {
  server = http.createServer((request, response) => {
    const status = request.url === '/text' ? 502 : 400;
    response.writeHead(status, { 'content-type': status === 400 ? 'application/json' : 'text/plain' });
    response.end(status === 400 ? JSON.stringify({ errors: [SUBGRAPH_ERROR] }) : 'bad gateway');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(path: string, baseUrl = url) {
  const context: GatewayContext = { viewer: null, authorization: undefined, clientAddress: '127.0.0.1' };
  return new AuthorizedDataSource(
    `${baseUrl}${path}`,
    'test-service-secret',
    createLogger('gateway', 'silent'),
    'depository',
    undefined,
  ).process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query: 'mutation($amount: Money!) { recharge(amount: $amount) { url } }', variables: { amount: 100 } },
    context,
    incomingRequestContext: {} as never,
    document: undefined as never,
    pathInIncomingRequest: undefined,
  });
}

test("a subgraph's 400 with a GraphQL body is answered with its errors, unwrapped", async () => {
  const answer = await send('/graphql');
  assert.deepEqual(answer.errors, [SUBGRAPH_ERROR]);
  assert.equal(JSON.stringify(answer).includes('"response"'), false);
});

/** The clean refusal: SERVICE_UNAVAILABLE, nothing of the address or the HTTP status in it. */
function assertUnavailable(error: unknown): true {
  const text = JSON.stringify({
    message: (error as Error).message,
    extensions: (error as { extensions?: unknown }).extensions,
  });
  assert.match(text, /"code":"SERVICE_UNAVAILABLE"/);
  for (const leak of ['http://', '127.0.0.1', 'ECONNREFUSED', '502', 'Bad Gateway'])
    assert.equal(text.includes(leak), false, `${leak} in ${text}`);
  return true;
}

test('a non-2xx answer without a GraphQL body is a failure of the subgraph: SERVICE_UNAVAILABLE, no status text', async () => {
  await assert.rejects(send('/text'), assertUnavailable);
});

test('a subgraph that refuses the connection is SERVICE_UNAVAILABLE, its URL not named', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(send('/graphql', closedUrl), assertUnavailable);
});
