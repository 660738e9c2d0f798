import http from 'node:http';
import https from 'node:https';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CLIENT_ADDRESS_HEADER, CommonErrors, SERVICE_TOKEN_HEADER, type Logger, type Viewer } from '@wanxin/platform';
import fetch from 'node-fetch';

/** A gateway request: who asks (verified here) and the header forwarded to subgraphs, which verify it again. */
export interface GatewayContext {
  viewer: Viewer | null;
  authorization: string | undefined;
  /** The end user's address, passed to subgraphs for throttling. */
  clientAddress: string;
}

/** Connections the gateway keeps open to one subgraph, at most; further calls wait for a free one. */
const SUBGRAPH_SOCKETS_MAX = 128;
const agentOptions = { keepAlive: true, maxSockets: SUBGRAPH_SOCKETS_MAX };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

/**
 * node-fetch over keep-alive agents, instead of the default make-fetch-happen: that one carries an HTTP
 * cache layer and an agent that reads a stack trace per request to tell http from https, which cost
 * the gateway a fifth of its CPU on the bids benchmark. Its responses are node-fetch's, as before.
 */
const subgraphFetcher: RemoteGraphQLDataSource['fetcher'] = (url, init) =>
  fetch(url, { ...init, agent: (parsed) => (parsed.protocol === 'https:' ? httpsAgent : httpAgent) });

/**
 * The GraphQL answer inside a subgraph's non-2xx response, as RemoteGraphQLDataSource reports it
 * (`extensions.response.body`): a subgraph refuses a request it cannot run (bad variables) with HTTP 400
 * and a GraphQL body, whose errors the client should see as they are.
 */
type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

function graphQLBodyOf(error: unknown): SubgraphResponse | undefined {
  const response = (error as { extensions?: { response?: { body?: unknown } } } | null)?.extensions?.response;
  const body = response?.body as { errors?: unknown } | undefined;
  const isGraphQL = typeof body === 'object' && body !== null && Array.isArray(body.errors);
  return isGraphQL ? (body as SubgraphResponse) : undefined;
}

/**
 * Calls a subgraph on behalf of the viewer: their token and address go along, the address with the
 * service token, without which a subgraph takes the caller's own socket address.
 */
export class AuthorizedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly serviceSecret: string,
    private readonly logger: Logger,
  ) {
    super({ url, fetcher: subgraphFetcher });
  }

  /**
   * A subgraph's GraphQL errors reach the client with their own message, code and path, whatever its HTTP
   * status. A subgraph that did not answer in GraphQL (refused connection, a proxy's 502) is logged here in
   * full and reaches the client as SERVICE_UNAVAILABLE, in every mode: its URL, host, port and name are the
   * platform's inside. The other fetches of the plan still answer their fields.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      const body = graphQLBodyOf(error);
      if (body !== undefined) return body;
      this.logger.error({ err: error, subgraphUrl: this.url }, 'subgraph did not answer');
      throw CommonErrors.serviceUnavailable();
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.authorization !== undefined) request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(CLIENT_ADDRESS_HEADER, context.clientAddress);
    request.http?.headers.set(SERVICE_TOKEN_HEADER, this.serviceSecret);
  }
}
