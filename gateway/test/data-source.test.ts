// Proves the gateway's data source hands on a subgraph's GraphQL errors as they are when the subgraph
// answered them with a non-2xx status (a request it could not run), instead of RemoteGraphQLDataSource's
// "401: Unauthorized" wrapper with the real error buried in extensions.response.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
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

function send(path: string) {
  const context: GatewayContext = { viewer: null, authorization: undefined, clientAddress: '127.0.0.1' };
  return new AuthorizedDataSource(`${url}${path}`, 'test-service-secret').process({
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

test('a non-2xx answer without a GraphQL body is still a failure of the subgraph', async () => {
  await assert.rejects(send('/text'), /502/);
});
