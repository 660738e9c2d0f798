import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { IncomingMessage } from 'node:http';
import { parse, type GraphQLSchema } from 'graphql';
import type { Metric } from 'prom-client';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import type { ViewerContext } from './auth/guards';
import { tokenFromAuthorization } from './auth/jwt';
import { refuseRevokedToken } from './auth/revocations';
import type { JwtKeys } from './auth/keys';
import { isServiceToken, SERVICE_TOKEN_HEADER } from './auth/service-token';
import type { EnvReader, PlatformConfig } from './config';
import { forkEntityManager, REQUEST_LOGGER_CONTEXT, type Database, type DatabaseSpec, type EntityManager } from './db';
import type { RouteHandler } from './http';
import type { Logger } from './logger';
import type { EventSubscription } from './messaging/consumer';
import { RequestLoaders } from './loaders';
import type { ChangeTagRule } from './read-cache/change-tags';
import { observeViewer, type ViewerObservation } from './read-cache/viewer-observation';

export const SUBGRAPH_NAMES = ['users', 'loans', 'bids', 'repayments', 'depository'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** The Federation 2 features the subgraphs use; composition checks each import. */
const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires"])';

/**
 * The API's root types, described for front-end developers. Every subgraph gives the same text, so
 * composition keeps it without an inconsistent-description hint.
 */
const ROOT_TYPE_DESCRIPTIONS: Record<string, string> = {
  Query:
    'Reads. A field marked ADMIN, BORROWER or INVESTOR needs a signed-in user of that role (UNAUTHENTICATED ' +
    'without a token, FORBIDDEN with another role); the others say who may read what. Send the token as ' +
    '"Authorization: Bearer <token>".',
  Mutation:
    'Changes. Each says who may call it (UNAUTHENTICATED without a token, FORBIDDEN with another role). A failed ' +
    'mutation changes nothing; its error carries extensions.code (BAD_USER_INPUT, CONFLICT, NOT_FOUND, …). ' +
    'Bank operations return a BankRedirect: their outcome arrives later, poll or subscribe.',
};

/** What one request sees: who asks, a private EntityManager, its own DataLoaders, the subgraph's services. */
export interface SubgraphContext<TServices = unknown> extends ViewerContext {
  /** The end user's address as the gateway saw it (or the caller's, when called directly): for throttling. */
  clientAddress: string;
  em: EntityManager;
  loaders: RequestLoaders;
  services: TServices;
  /** How the answer depended on the viewer so far: the read cache's sharing rule. */
  readonly viewerObservation?: ViewerObservation;
}

/** `__resolveReference` per entity type: turns `{ __typename, id }` into a row, through the request's loaders. */
export type ReferenceResolvers<TServices> = Record<
  string,
  (reference: { id: string }, context: SubgraphContext<TServices>) => Promise<unknown>
>;

export interface BackgroundWork {
  stop(): Promise<void>;
}

/** Everything started for a subgraph, handed to its services factory. */
export interface SubgraphRuntime<TSettings> {
  config: PlatformConfig;
  settings: TSettings;
  orm: Database;
  keys: JwtKeys;
  logger: Logger;
}

/** One subgraph, as its own `main.ts` and the all-in-one launcher both use it. */
export interface SubgraphDefinition<TSettings = unknown, TServices = unknown> {
  name: SubgraphName;
  defaultPort: number;
  database: DatabaseSpec;
  resolvers: NonEmptyArray<Function>;
  /**
   * Every entity type this subgraph serves or extends (its own `@key` types and the stubs it adds fields
   * to): type-graphql only emits types a root field returns, and these are reached through `_entities`.
   * Each subgraph keeps its own stub classes: type-graphql shares field lists between schemas per class.
   */
  entityTypes: Function[];
  referenceResolvers: ReferenceResolvers<TServices>;
  /**
   * The events this subgraph consumes, each handled exactly once through its inbox; built from the services
   * when a handler needs the subgraph's settings.
   */
  subscriptions?: EventSubscription<any>[] | ((services: TServices) => EventSubscription<any>[]);
  /** Reads this subgraph's own environment variables (beside the platform's). */
  readSettings(reader: EnvReader, config: PlatformConfig): TSettings;
  /** Builds what resolvers need once at start; may do start-up work such as seeding. */
  createServices(runtime: SubgraphRuntime<TSettings>): Promise<TServices>;
  /**
   * The gateway's read cache: the fields whose answers it may keep (`Type.field`, `Type.*`), and for each
   * entity those fields read, the tags its changes invalidate. Without it nothing this subgraph answers is kept.
   */
  readCache?: { cacheableFields: readonly string[]; changeTags: readonly ChangeTagRule[] };
  /** The subgraph's own metrics, served on `/metrics` beside the platform's. */
  metrics?(services: TServices): Metric[];
  /** HTTP routes beside GraphQL (not exposed through the gateway), e.g. a bank's notifications. */
  routes?(services: TServices, runtime: SubgraphRuntime<TSettings>): Record<string, RouteHandler>;
  /** Background work (jobs) started after the server; stopped before the database closes. */
  startBackground?(services: TServices, runtime: SubgraphRuntime<TSettings>): BackgroundWork;
}

/** Builds the subgraph schema: type-graphql → SDL with directives → `buildSubgraphSchema` with `@link`. */
export async function buildFederatedSchema(definition: SubgraphDefinition<unknown, unknown>): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.entityTypes,
    // No authChecker: resolvers check roles with requireRole(), and type-graphql refuses to build a schema
    // that uses `@Authorized` without one, so a second style cannot creep in.
    validate: false,
    skipCheck: true,
  });
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (root) root.description = ROOT_TYPE_DESCRIPTIONS[root.name];
  }
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolveReference] of Object.entries(definition.referenceResolvers)) {
    const typeResolvers = resolvers[typeName];
    if (typeResolvers === undefined || typeof typeResolvers !== 'object') {
      throw new Error(`${definition.name}: reference resolver for ${typeName}, which the schema does not define`);
    }
    (typeResolvers as Record<string, unknown>).__resolveReference = resolveReference;
  }
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  return buildSubgraphSchema({ typeDefs, resolvers });
}

/**
 * The header in which the gateway passes the end user's address to subgraphs; it counts only beside the
 * service token (SERVICE_TOKEN_HEADER), so a caller reaching a subgraph directly cannot choose its address.
 */
export const CLIENT_ADDRESS_HEADER = 'x-wanxin-client-address';

/** The end user's address: the one the gateway forwarded with the service token, else the caller's own. */
export function clientAddressOfRequest(request: IncomingMessage, serviceSecret: string): string {
  const forwarded = request.headers[CLIENT_ADDRESS_HEADER];
  const fromGateway = isServiceToken(request.headers[SERVICE_TOKEN_HEADER], serviceSecret);
  const trusted = fromGateway && typeof forwarded === 'string' && forwarded !== '';
  return (trusted ? forwarded : (request.socket.remoteAddress ?? 'unknown')).slice(0, 64);
}

/**
 * The per-request context: verifies the token again (a subgraph reached directly is no softer than the
 * gateway), and refuses it when its user's tokens were revoked (the gateway cannot know).
 */
export function createContextFactory<TServices>(
  orm: Database,
  keys: JwtKeys,
  serviceSecret: string,
  services: TServices,
) {
  return async (request: IncomingMessage): Promise<SubgraphContext<TServices>> => {
    const token = tokenFromAuthorization(request.headers.authorization, keys.publicKeyPem);
    if (token !== null) await refuseRevokedToken(orm, token);
    const viewer = token?.viewer ?? null;
    const em = forkEntityManager(orm, REQUEST_LOGGER_CONTEXT);
    const clientAddress = clientAddressOfRequest(request, serviceSecret);
    return observeViewer({ em, loaders: new RequestLoaders(em), services, clientAddress }, viewer);
  };
}

/** For a subgraph that has no settings or services of its own yet. */
export type NoSettings = Record<string, never>;
export type NoServices = Record<string, never>;
export const readNoSettings = (): NoSettings => ({});
export const createNoServices = async (): Promise<NoServices> => ({});
