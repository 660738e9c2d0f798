import http from 'node:http';
import https from 'node:https';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  CACHE_CHANGED_EXTENSION,
  CACHE_SCOPE_EXTENSION,
  CLIENT_ADDRESS_HEADER,
  CommonErrors,
  SERVICE_TOKEN_HEADER,
  type CacheChange,
  type CacheScope,
  type Logger,
  type Viewer,
} from '@wanxin/platform';
import fetch from 'node-fetch';
import { dependenciesOfFetch, ScopeUnion, type ReadCache, type ReadTrace } from './read-cache';

/** A gateway request: who asks (verified here) and the header forwarded to subgraphs, which verify it again. */
export interface GatewayContext {
  viewer: Viewer | null;
  authorization: string | undefined;
  /** The end user's address, passed to subgraphs for throttling. */
  clientAddress: string;
  /** What this request's answers depended on, for the read cache (absent: nothing is kept or served). */
  readTrace?: ReadTrace;
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
    private readonly subgraph: string,
    private readonly cache: ReadCache | undefined,
  ) {
    super({ url, fetcher: subgraphFetcher });
  }

  /**
   * A query's fetch is served from the read cache when a fresh answer for this viewer's kind is kept, and
   * kept when its subgraph says it may be; any answer naming changes stamps them first (read-your-writes).
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    // Health checks and schema loads carry no request context.
    const incoming = 'incomingRequestContext' in options ? options : undefined;
    const trace = incoming?.context.readTrace;
    const cache = this.cache;
    const isQuery = incoming?.incomingRequestContext.operation?.operation === 'query';
    if (cache === undefined || trace === undefined || !isQuery) {
      if (trace !== undefined) trace.cacheable = false;
      return this.answered(await this.ask(options));
    }
    const { query, variables } = options.request;
    const key = `${this.subgraph}\u0000${JSON.stringify(variables ?? {})}\u0000${query}`;
    const viewer = incoming!.context.viewer;
    const found = cache.lookup('fetch', key, viewer);
    if (typeof found === 'object') {
      for (const dependency of found.hit.dependencies) trace.dependencies.add(dependency);
      trace.scope.add(found.hit.scope);
      return JSON.parse(found.hit.json) as SubgraphResponse;
    }
    const since = cache.now;
    const response = this.answered(await this.ask(options));
    const scope = response.extensions?.[CACHE_SCOPE_EXTENSION] as CacheScope | undefined;
    if (found === 'bypass' || scope === undefined || (response.errors ?? []).length > 0) {
      trace.cacheable = false;
      return response;
    }
    const answer = { dependencies: dependenciesOfFetch(this.subgraph, variables), since, scope: new ScopeUnion() };
    answer.scope.add(scope);
    for (const dependency of answer.dependencies) trace.dependencies.add(dependency);
    trace.scope.add(scope);
    cache.keep(key, viewer, answer, { data: response.data });
    return response;
  }

  /** Stamps the changes a subgraph's answer names (a mutation's), before anyone reads on. */
  private answered(response: SubgraphResponse): SubgraphResponse {
    const change = response.extensions?.[CACHE_CHANGED_EXTENSION] as CacheChange | undefined;
    if (change !== undefined) this.cache?.changed(change);
    return response;
  }

  /**
   * A subgraph's GraphQL errors reach the client with their own message, code and path, whatever its HTTP
   * status. A subgraph that did not answer in GraphQL (refused connection, a proxy's 502) is logged here in
   * full and reaches the client as SERVICE_UNAVAILABLE, in every mode: its URL, host, port and name are the
   * platform's inside. The other fetches of the plan still answer their fields.
   */
  private async ask(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
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
