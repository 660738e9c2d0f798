import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { resolveJwtKeys } from './auth/keys';
import { tokenRevocationsSubscription } from './auth/revocations';
import { resolveServiceSecret } from './auth/service-token';
import { ConfigError, loadConfig, readPlatformConfig, type PlatformConfig } from './config';
import { createSqlQueryCounter, isDatabaseReachable, openDatabase } from './db';
import { createErrorFormatter } from './graphql-errors';
import { startHttpService, stopOnSignals, type HttpService } from './http';
import { createLogger } from './logger';
import { startMessaging, type Messaging } from './messaging/runtime';
import { metricsRoute } from './ops-access';
import { ChangeTagSubscriber, readCachePlugin } from './read-cache';
import { queryLimitsRule, refuseCostlyOperation, type QueryLimits } from './query-limits';
import {
  buildFederatedSchema,
  createContextFactory,
  type BackgroundWork,
  type SubgraphContext,
  type SubgraphDefinition,
} from './subgraph';

/** A subgraph's whole configuration: the platform's, its port, and its own settings. */
export interface SubgraphConfig<TSettings> {
  platform: PlatformConfig;
  port: number;
  settings: TSettings;
}

export function readSubgraphConfig<TSettings, TServices>(
  definition: SubgraphDefinition<TSettings, TServices>,
  env: Readonly<Record<string, string | undefined>>,
): SubgraphConfig<TSettings> {
  return loadConfig(env, (reader) => {
    const platform = readPlatformConfig(reader);
    return {
      platform,
      port: reader.int('PORT', definition.defaultPort, 0, 65535),
      settings: definition.readSettings(reader, platform),
    };
  });
}

/** The cost ceiling priced with the request's variables: `_entities` pays for each representation it is sent. */
function costWithVariables(limits: QueryLimits): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (operation === undefined) return;
          const refused = refuseCostlyOperation(schema, document, operation, request.variables ?? {}, limits);
          if (refused !== undefined) throw refused;
        },
      };
    },
  };
}

/** Opens the database, builds the schema and serves the subgraph; `stop()` undoes all of it. */
export async function startSubgraph<TSettings, TServices>(
  definition: SubgraphDefinition<TSettings, TServices>,
  { platform, port, settings }: SubgraphConfig<TSettings>,
): Promise<HttpService> {
  const logger = createLogger(definition.name, platform.logLevel, platform.logFormat);
  const keys = resolveJwtKeys(platform);
  const sqlQueries = createSqlQueryCounter();
  const orm = await openDatabase(platform, definition.database, sqlQueries);
  let messaging: Messaging | undefined;
  let background: BackgroundWork | undefined;
  try {
    const readCache = definition.readCache;
    if (readCache !== undefined) {
      // Before any write (seeding, the consumer's first deliveries): every change to a tagged row is told.
      const wakeRelay = () => messaging?.relay.wake();
      const changes = new ChangeTagSubscriber(definition.name, readCache.changeTags, orm.config, wakeRelay);
      orm.em.getEventManager().registerSubscriber(changes);
    }
    const runtime = { config: platform, settings, orm, keys, logger };
    const services = await definition.createServices(runtime);
    const own =
      typeof definition.subscriptions === 'function' ? definition.subscriptions(services) : definition.subscriptions;
    // Every subgraph refuses revoked tokens, so every subgraph records the revocations.
    const subscriptions = [...(own ?? []), tokenRevocationsSubscription];
    messaging = await startMessaging(definition.name, orm, platform.messaging, subscriptions, logger);
    const metrics = messaging.metrics.registry;
    metrics.registerMetric(sqlQueries);
    for (const metric of definition.metrics?.(services) ?? []) metrics.registerMetric(metric);
    const production = platform.nodeEnv === 'production';
    const serviceSecret = resolveServiceSecret(platform.dataDir, platform.internalApiSecret);
    const apollo = new ApolloServer<SubgraphContext<TServices>>({
      schema: await buildFederatedSchema(definition as SubgraphDefinition<unknown, unknown>),
      introspection: !production,
      includeStacktraceInErrorResponses: !production,
      // Our own SIGTERM handler stops the HTTP server first, then Apollo, then the database.
      stopOnTerminationSignals: false,
      formatError: createErrorFormatter(production),
      // The gateway's own ceilings again: a subgraph reached directly is no cheaper to overload.
      validationRules: [queryLimitsRule(platform.queryLimits)],
      plugins: [
        costWithVariables(platform.queryLimits),
        ...(readCache === undefined ? [] : [readCachePlugin(definition.name, readCache.cacheableFields)]),
        ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
      ],
      logger,
    });
    const service = await startHttpService({
      name: `subgraph ${definition.name}`,
      host: platform.host,
      port,
      logger,
      apollo,
      context: createContextFactory(orm, keys, serviceSecret, services),
      isReady: () => isDatabaseReachable(orm),
      bodyBytesMax: platform.graphqlBodyBytesMax,
      collectsChanges: true,
      routes: {
        ...definition.routes?.(services, runtime),
        '/metrics': metricsRoute(metrics, platform),
      },
      onStopped: async () => {
        await background?.stop();
        await messaging?.stop();
        await orm.close(true);
      },
    });
    background = definition.startBackground?.(services, runtime);
    return service;
  } catch (error) {
    await background?.stop();
    await messaging?.stop();
    await orm.close(true);
    throw error;
  }
}

/** The argument that makes a subgraph's `main.js` migrate its database and exit instead of serving. */
export const MIGRATE_ONLY_ARGUMENT = '--migrate';

/**
 * Brings the subgraph's database up to date and closes it: a deployment's migration step (a Kubernetes Job,
 * a one-shot compose service) runs it once before the replicas start, so they never race over migrations.
 */
export async function migrateSubgraph<TSettings, TServices>(
  definition: SubgraphDefinition<TSettings, TServices>,
  { platform }: SubgraphConfig<TSettings>,
): Promise<void> {
  const orm = await openDatabase(platform, definition.database);
  await orm.close(true);
  const logger = createLogger(definition.name, platform.logLevel, platform.logFormat);
  logger.info(`database of ${definition.name} migrated`);
}

/**
 * `main.ts` of every subgraph: read the environment, start, stop on SIGTERM; a bad setting exits 1. With
 * `--migrate` it only migrates the database and exits.
 */
export function runSubgraphMain<TSettings, TServices>(definition: SubgraphDefinition<TSettings, TServices>): void {
  exitOnStartFailure(async () => {
    const config = readSubgraphConfig(definition, process.env);
    if (process.argv.slice(2).includes(MIGRATE_ONLY_ARGUMENT)) return migrateSubgraph(definition, config);
    const service = await startSubgraph(definition, config);
    stopOnSignals(createLogger(definition.name, 'info', config.platform.logFormat), service.stop);
  });
}

/** Runs a start-up and exits with a clear message when it fails (a ConfigError names each variable). */
export function exitOnStartFailure(start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error('failed to start:', error);
    process.exit(1);
  });
}
