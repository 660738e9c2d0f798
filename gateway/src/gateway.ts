import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { Counter } from 'prom-client';
import {
  createErrorFormatter,
  createLogger,
  metricsRoute,
  queryLimitsRule,
  refuseBadScalarInput,
  requestRefused,
  resolveJwtKeys,
  resolveServiceSecret,
  startEventListener,
  startHttpService,
  viewerFromAuthorization,
  type HttpService,
  type SubgraphName,
} from '@wanxin/platform';
import type { GatewayConfig } from './config';
import { AuthorizedDataSource, type GatewayContext } from './context';
import { dashboardRoutes } from './dashboard';
import { ReadCache, readCachePlugin } from './read-cache';
import { gatewayReadiness } from './readiness';
import { SupergraphFile } from './supergraph-file';
import {
  createSubscriptionMetrics,
  EVENTS_SUBGRAPH_NAME,
  FEED_ROUTING_KEYS,
  startSubscriptionServer,
  SubscriptionExecutor,
  SubscriptionHub,
  type GatewayQuery,
  type SubscriptionServer,
} from './subscriptions';
import { CacheChanged, decodePayload, UserTokensRevoked } from '@wanxin/platform/contracts';

export type { GatewayContext } from './context';

/**
 * Refusals before planning, each HTTP 400 with BAD_USER_INPUT: a subscription posted over HTTP is told
 * where subscriptions are served, instead of failing in the executor; a custom scalar (Money, Rate, Date,
 * DateTime) the platform's definition refuses is named here rather than by the subgraph it would reach.
 */
const refuseBadRequests: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operation, request }) {
        if (operation === undefined) return;
        if (operation.operation === 'subscription') {
          throw requestRefused('Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql');
        }
        const refused = refuseBadScalarInput(schema, document, operation, request.variables ?? {});
        if (refused !== undefined) throw refused;
      },
    };
  },
};

/**
 * The caller's address: the socket's, or behind `trustedProxyHops` proxies the X-Forwarded-For entry that
 * many from the right, the one the outermost trusted proxy appended (a shorter header: its first entry).
 * Entries further left came from the client and are never trusted.
 */
export function clientAddressOf(request: IncomingMessage, trustedProxyHops: number): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  const header = request.headers['x-forwarded-for'];
  if (trustedProxyHops === 0 || header === undefined) return socketAddress;
  const entries = (Array.isArray(header) ? header.join(',') : header).split(',').map((entry) => entry.trim());
  const entry = entries[Math.max(0, entries.length - trustedProxyHops)];
  return entry === '' ? socketAddress : entry;
}

/**
 * Serves the supergraph: SDL from a file it follows (no runtime introspection of subgraphs), limits, auth;
 * and on the same port and path, subscriptions over WebSocket fed by the platform's events; `/dashboard`
 * for admins; `/metrics`.
 */
export async function startGateway(config: GatewayConfig): Promise<HttpService> {
  const logger = createLogger('gateway', config.platform.logLevel, config.platform.logFormat);
  const keys = resolveJwtKeys(config.platform);
  const production = config.platform.nodeEnv === 'production';
  const metrics = createSubscriptionMetrics();
  const supergraphUpdates = new Counter({
    name: 'wanxin_gateway_supergraph_updates_total',
    help: 'New supergraph file contents, by outcome: applied without a restart, or refused (the previous one kept)',
    labelNames: ['outcome'],
    registers: [metrics.registry],
  });
  const supergraphFile = new SupergraphFile({
    path: config.supergraphPath,
    ...config.supergraphFollow,
    logger,
    onOutcome: (outcome) => supergraphUpdates.inc({ outcome }),
  });
  // Subscriptions plan against the supergraph read at start; queries and mutations follow the file.
  const supergraphSdl = supergraphFile.startSdl;
  const serviceSecret = resolveServiceSecret(config.platform.dataDir, config.platform.internalApiSecret);
  /** Every subgraph the supergraph names, with the URL the gateway uses: what readiness asks (events is ours). */
  const subgraphUrls = new Map<string, string>();
  const readCache = config.readCache === undefined ? undefined : new ReadCache(config.readCache, metrics.registry);
  const dataSourceFor = (name: string, url: string) => {
    const resolvedUrl = config.subgraphUrls[name as SubgraphName] ?? url;
    if (name !== EVENTS_SUBGRAPH_NAME) subgraphUrls.set(name, resolvedUrl);
    return new AuthorizedDataSource(resolvedUrl, serviceSecret, logger, name, readCache);
  };
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFile,
    buildService: ({ name, url }) => dataSourceFor(name, url ?? ''),
    logger,
  });
  const formatError = createErrorFormatter(production);
  const validationRules = [queryLimitsRule(config.platform.queryLimits)];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    // Our own SIGTERM handler stops the HTTP server first, then Apollo, then the database.
    stopOnTerminationSignals: false,
    formatError,
    validationRules,
    parseOptions: { maxTokens: config.tokensMax },
    plugins: [
      refuseBadRequests,
      ...(readCache === undefined ? [] : [readCachePlugin(readCache)]),
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
    ],
    logger,
  });
  const hub = new SubscriptionHub(new SubscriptionExecutor(supergraphSdl, dataSourceFor, logger), metrics, logger, {
    subscriberBufferBytesMax: config.subscriptions.subscriberBufferBytesMax,
    formatError,
  });
  // Started below, once the HTTP server is: until then no socket is open that a revocation could close.
  let subscriptions: SubscriptionServer | undefined;
  const listener = await startEventListener(
    config.platform.messaging,
    {
      name: 'gateway',
      routingKeys: [...FEED_ROUTING_KEYS, UserTokensRevoked.type, CacheChanged.type],
      onEvent: (envelope) => {
        if (envelope.type === CacheChanged.type) {
          const change = decodePayload(CacheChanged, envelope.payload);
          // A change this gateway cannot read could be any change.
          return change.ok ? readCache?.changed(change.payload) : readCache?.forgetAll();
        }
        if (envelope.type !== UserTokensRevoked.type) return hub.publish(envelope);
        const revoked = decodePayload(UserTokensRevoked, envelope.payload);
        if (!revoked.ok) return logger.error({ messageId: envelope.id, reason: revoked.reason }, 'revocation refused');
        readCache?.revoked(revoked.payload.userId);
        subscriptions?.revokeTokens(revoked.payload.userId, new Date(revoked.payload.revokedAt));
      },
      // Changes published while the listener was away are not heard: nothing kept before can be trusted.
      onConnected: () => readCache?.forgetAll(),
    },
    logger,
  );
  const query: GatewayQuery = async (document, variables, contextValue) => {
    const response = await apollo.executeOperation({ query: document, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('an access check answered incrementally');
    return response.body.singleResult;
  };
  const service = await startHttpService({
    name: 'gateway',
    host: config.platform.host,
    port: config.port,
    logger,
    apollo,
    context: (request: IncomingMessage) => ({
      viewer: viewerFromAuthorization(request.headers.authorization, keys.publicKeyPem),
      authorization: request.headers.authorization,
      clientAddress: clientAddressOf(request, config.trustedProxyHops),
      readTrace: readCache?.newTrace(),
    }),
    isReady: () => gatewayReadiness(subgraphUrls),
    bodyBytesMax: config.platform.graphqlBodyBytesMax,
    routes: {
      ...dashboardRoutes(hub.executor.apiSchema),
      '/metrics': metricsRoute(metrics.registry, config.platform),
    },
    onStopped: async () => listener.close(),
  });
  void hub.seedBusinessDate(async () => {
    const result = await query(
      '{ businessDate }',
      {},
      { viewer: null, authorization: undefined, clientAddress: 'gateway' },
    );
    const date = result.data?.businessDate;
    if (typeof date !== 'string')
      throw new Error(`businessDate not answered: ${JSON.stringify(result.errors ?? null)}`);
    return date;
  });
  subscriptions = startSubscriptionServer({
    server: service.server,
    path: '/graphql',
    executor: hub.executor,
    hub,
    query,
    publicKeyPem: keys.publicKeyPem,
    validationRules,
    tokensMax: config.tokensMax,
    subscriptionsPerConnectionMax: config.subscriptions.subscriptionsPerConnectionMax,
    connectionsMax: config.subscriptions.connectionsMax,
    clientAddressOf: (request) => clientAddressOf(request, config.trustedProxyHops),
    logger,
  });
  return {
    ...service,
    // Sockets close first: the HTTP server waits for its connections, upgraded ones included, to end.
    stop: async () => {
      await subscriptions?.close();
      await service.stop();
    },
  };
}
