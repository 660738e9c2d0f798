import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import {
  CLIENT_ADDRESS_HEADER, createErrorFormatter, createLogger, resolveJwtKeys, startHttpService, viewerFromAuthorization, type HttpService,
  type SubgraphName, type Viewer,
} from '@wanxin/platform';
import type { GatewayConfig } from './config';
import { queryLimitsRule } from './limits';

/** A gateway request: who asks (verified here) and the header forwarded to subgraphs, which verify it again. */
export interface GatewayContext {
  viewer: Viewer | null;
  authorization: string | undefined;
  /** The end user's address, passed to subgraphs for throttling. */
  clientAddress: string;
}

class AuthorizedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.authorization !== undefined) request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(CLIENT_ADDRESS_HEADER, context.clientAddress);
  }
}

/** The caller's address; behind a trusted proxy, the first address of X-Forwarded-For. */
function clientAddressOf(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0].trim() : '';
  return trustProxy && first !== '' ? first : request.socket.remoteAddress ?? 'unknown';
}

/** Serves the supergraph: static supergraph SDL (no runtime introspection of subgraphs), limits, auth. */
export async function startGateway(config: GatewayConfig): Promise<HttpService> {
  const logger = createLogger('gateway', config.platform.logLevel);
  const keys = resolveJwtKeys(config.platform);
  const production = config.platform.nodeEnv === 'production';
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(config.supergraphPath, 'utf8'),
    buildService: ({ name, url }) => new AuthorizedDataSource({ url: config.subgraphUrls[name as SubgraphName] ?? url }),
    logger,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    // Our own SIGTERM handler stops the HTTP server first, then Apollo, then the database.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(production),
    validationRules: [queryLimitsRule(config.limits)],
    parseOptions: { maxTokens: config.tokensMax },
    plugins: [production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true })],
    logger,
  });
  return startHttpService({
    name: 'gateway',
    host: config.platform.host,
    port: config.port,
    logger,
    apollo,
    context: (request: IncomingMessage) => ({
      viewer: viewerFromAuthorization(request.headers.authorization, keys.publicKeyPem),
      authorization: request.headers.authorization,
      clientAddress: clientAddressOf(request, config.trustProxy),
    }),
    isReady: async () => true,
  });
}
