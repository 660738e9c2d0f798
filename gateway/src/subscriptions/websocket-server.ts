import type http from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getArgumentValues,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  getVariableValues,
  type DocumentNode,
  type ExecutionArgs,
  type ValidationRule,
} from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  clientError,
  isTokenRevoked,
  refuseBadScalarInput,
  tokenFromAuthorization,
  type Logger,
  type VerifiedToken,
} from '@wanxin/platform';
import type { GatewayContext } from '../context';
import { feedKey, isSubscriptionField } from './event-feeds';
import { SubscriptionAccess, type GatewayQuery } from './subscription-access';
import type { Subscription, SubscriptionHub } from './subscription-hub';
import type { SubscriptionExecutor } from './subscription-executor';

/** Close codes beyond graphql-ws's own (4400 bad request, 4403 forbidden, 4408 init timeout, …). */
export const SUBSCRIPTION_CLOSE_CODES = {
  /** The token in connectionParams is not valid, or expired while connected: the client needs a new one (graphql-ws does not retry). */
  unauthorized: 4401,
  /** More bytes were waiting for this client than its buffer holds: it was too slow and may reconnect. */
  tooSlow: 4413,
} as const;

/** The largest WebSocket message accepted: a subscription document and its variables. */
const MESSAGE_BYTES_MAX = 64 * 1024;
/** Distinct valid documents kept parsed and validated; subscribers of the same text share one. */
const DOCUMENTS_CACHED_MAX = 1000;
/**
 * Revocations remembered to refuse new connections (users.user.tokens-revoked, heard since the gateway
 * started); past this the oldest is forgotten, and the subgraphs still refuse its token's data.
 */
const REVOCATIONS_REMEMBERED_MAX = 10_000;
/** Largest timer Node schedules (about 24.8 days); tokens live at most 7 days. */
const TIMER_MS_MAX = 2 ** 31 - 1;

export interface SubscriptionServerOptions {
  server: http.Server;
  path: string;
  executor: SubscriptionExecutor;
  hub: SubscriptionHub;
  query: GatewayQuery;
  publicKeyPem: string;
  validationRules: readonly ValidationRule[];
  tokensMax: number;
  subscriptionsPerConnectionMax: number;
  connectionsMax: number;
  clientAddressOf(request: http.IncomingMessage): string;
  logger: Logger;
}

interface Connection {
  context: GatewayContext;
  /** The connection's token; null when anonymous. */
  token: VerifiedToken | null;
  expiry: NodeJS.Timeout | undefined;
  subscriptions: number;
}

type Extra = { socket: WebSocket; request: http.IncomingMessage };
type ServerContext = Context<Record<string, unknown> | undefined, Extra>;
interface SubscribeContext {
  subscription: Subscription;
  socket: WebSocket;
  subscriptionId: string;
}

/** When a verified token expires, from its `exp` claim (seconds). */
function tokenExpiresAtMs(authorization: string): number | undefined {
  const claims = JSON.parse(Buffer.from(authorization.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp?: unknown;
  };
  return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
}

/**
 * graphql-ws (graphql-transport-ws) on the gateway's own HTTP server and path: the token comes from
 * `connectionParams.authorization` and is checked like an HTTP request's; the socket closes when it
 * expires. Only subscriptions are served here; each joins its (document, variables, viewer) group.
 */
export interface SubscriptionServer {
  /**
   * A user's tokens issued at or before `revokedAt` were revoked (an admin disabled them): their open
   * connections close now with 4401, and new ones with such a token are refused. Returns how many closed.
   */
  revokeTokens(userId: string, revokedAt: Date): number;
  close(): Promise<void>;
}

export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { executor, hub, logger } = options;
  const connections = new Map<WebSocket, Connection>();
  const revocations = new Map<string, Date>();
  const isRevoked = (token: VerifiedToken) => isTokenRevoked(token, revocations.get(token.viewer.id) ?? null);
  const access = new SubscriptionAccess(options.query);
  const documents = new Map<string, DocumentNode>();

  /** The parsed and validated document of `query`: valid ones are kept, so a crowd of subscribers shares one AST. */
  const documentOf = (query: string): DocumentNode | readonly GraphQLError[] => {
    const cached = documents.get(query);
    if (cached !== undefined) return cached;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.tokensMax });
    } catch (error) {
      return [error instanceof GraphQLError ? error : clientError('BAD_USER_INPUT', 'unparsable document')];
    }
    const validationErrors = validate(executor.apiSchema, document, [...specifiedRules, ...options.validationRules]);
    if (validationErrors.length > 0) return validationErrors;
    documents.set(query, document);
    if (documents.size > DOCUMENTS_CACHED_MAX) documents.delete(documents.keys().next().value as string);
    return document;
  };
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: MESSAGE_BYTES_MAX });
  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== options.path) return void socket.destroy();
    if (webSockets.clients.size >= options.connectionsMax) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => webSockets.emit('connection', webSocket, request));
  };
  options.server.on('upgrade', onUpgrade);

  const connect = (ctx: ServerContext): boolean => {
    const { socket, request } = ctx.extra;
    const authorization = ctx.connectionParams?.authorization;
    if (authorization !== undefined && typeof authorization !== 'string') {
      socket.close(SUBSCRIPTION_CLOSE_CODES.unauthorized, 'connectionParams.authorization must be "Bearer <token>"');
      return false;
    }
    let context: GatewayContext;
    let token: VerifiedToken | null;
    try {
      token = tokenFromAuthorization(authorization, options.publicKeyPem);
      context = { viewer: token?.viewer ?? null, authorization, clientAddress: options.clientAddressOf(request) };
    } catch (error) {
      socket.close(SUBSCRIPTION_CLOSE_CODES.unauthorized, (error as Error).message.slice(0, 120));
      return false;
    }
    if (token !== null && isRevoked(token)) {
      socket.close(SUBSCRIPTION_CLOSE_CODES.unauthorized, 'token revoked (the account was disabled): sign in again');
      return false;
    }
    const expiresAtMs = authorization === undefined ? undefined : tokenExpiresAtMs(authorization);
    const expiry =
      expiresAtMs === undefined
        ? undefined
        : setTimeout(
            () => socket.close(SUBSCRIPTION_CLOSE_CODES.unauthorized, 'token expired'),
            Math.min(TIMER_MS_MAX, Math.max(0, expiresAtMs - Date.now())),
          );
    connections.set(socket, { context, token, expiry, subscriptions: 0 });
    return true;
  };

  /** The subscription's checks and plan; the caller has already reserved its place on the connection. */
  type Prepared = ExecutionArgs | readonly GraphQLError[];
  const prepare = async (
    connection: Connection,
    ctx: ServerContext,
    subscriptionId: string,
    payload: SubscribePayload,
  ): Promise<Prepared> => {
    const document = documentOf(payload.query);
    if (!('kind' in document)) return document;
    const operation = getOperationAST(document, payload.operationName);
    // The custom scalars are checked as over HTTP (the supergraph knows them by name only), whatever the operation.
    const badScalar = operation
      ? refuseBadScalarInput(executor.apiSchema, document, operation, payload.variables ?? {})
      : undefined;
    if (badScalar !== undefined)
      return [clientError('BAD_USER_INPUT', badScalar.message, { field: badScalar.extensions.field })];
    if (!operation || operation.operation !== 'subscription') {
      return [
        clientError(
          'BAD_USER_INPUT',
          'Only subscriptions are served over WebSocket: send queries and mutations over HTTP',
        ),
      ];
    }
    const variables = getVariableValues(
      executor.apiSchema,
      operation.variableDefinitions ?? [],
      payload.variables ?? {},
    );
    if (variables.errors !== undefined)
      return variables.errors.map((error) => clientError('BAD_USER_INPUT', error.message));
    const root = operation.selectionSet.selections[0];
    if (root.kind !== Kind.FIELD || !isSubscriptionField(root.name.value)) {
      return [
        clientError(
          'BAD_USER_INPUT',
          'Select one subscription field directly (loanFunding, repaymentStatus, platformStats or transferMarket)',
        ),
      ];
    }
    const field = root.name.value;
    const loanId = getArgumentValues(
      executor.apiSchema.getSubscriptionType()!.getFields()[field],
      root,
      variables.coerced,
    ).loanId as string | undefined;
    const refusal = await access.refusal(field, loanId, connection.context);
    if (refusal !== null) return refusal;
    const planned = executor.plan(document, payload.operationName ?? undefined);
    const subscription: Subscription = {
      planned,
      variables: variables.coerced,
      feedKey: feedKey(field, loanId),
      scope: connection.context.viewer?.id ?? 'anonymous',
      context: connection.context,
    };
    const contextValue: SubscribeContext = { subscription, socket: ctx.extra.socket, subscriptionId };
    return {
      schema: executor.apiSchema,
      document,
      operationName: payload.operationName,
      variableValues: variables.coerced,
      contextValue,
    };
  };

  /**
   * Takes a place on the connection before anything is awaited, so subscribes arriving together cannot all
   * pass the cap while earlier ones wait for their access check; a refused one gives its place back.
   */
  const subscribe = async (
    ctx: ServerContext,
    subscriptionId: string,
    payload: SubscribePayload,
  ): Promise<Prepared> => {
    const connection = connections.get(ctx.extra.socket);
    if (connection === undefined) return [clientError('UNAUTHENTICATED', 'connection not initialised')];
    if (connection.subscriptions >= options.subscriptionsPerConnectionMax) {
      return [
        clientError('BAD_USER_INPUT', `at most ${options.subscriptionsPerConnectionMax} subscriptions per connection`),
      ];
    }
    connection.subscriptions += 1;
    let prepared: Prepared | undefined;
    try {
      prepared = await prepare(connection, ctx, subscriptionId, payload);
      return prepared;
    } finally {
      if (prepared === undefined || !('schema' in prepared)) connection.subscriptions -= 1;
    }
  };

  const graphqlWs = useServer<Record<string, unknown> | undefined, Extra>(
    {
      onConnect: connect,
      onSubscribe: (ctx, id, payload) => subscribe(ctx, id, payload),
      // Results do not pass through graphql-ws: the group writes each one's frame to the socket itself.
      subscribe: (args) => {
        const { subscription, socket, subscriptionId } = args.contextValue as SubscribeContext;
        const channel = { send: (text: string) => socket.send(text), bufferedBytes: () => socket.bufferedAmount };
        return hub.join(subscription, channel, subscriptionId, () =>
          socket.close(SUBSCRIPTION_CLOSE_CODES.tooSlow, 'too slow: its buffer of unsent results is full'),
        );
      },
      onComplete: (ctx) => {
        const connection = connections.get(ctx.extra.socket);
        if (connection !== undefined) connection.subscriptions -= 1;
      },
      onClose: (ctx) => {
        clearTimeout(connections.get(ctx.extra.socket)?.expiry);
        connections.delete(ctx.extra.socket);
      },
    },
    webSockets,
  );
  logger.info({ path: options.path }, 'subscriptions (graphql-transport-ws) listening');
  return {
    revokeTokens: (userId, revokedAt) => {
      const known = revocations.get(userId);
      if (known === undefined || known < revokedAt) {
        revocations.delete(userId);
        revocations.set(userId, revokedAt);
        if (revocations.size > REVOCATIONS_REMEMBERED_MAX) revocations.delete(revocations.keys().next().value!);
      }
      let closed = 0;
      // At most connectionsMax connections to look through.
      for (const [socket, connection] of connections) {
        if (connection.token === null || !isRevoked(connection.token)) continue;
        socket.close(SUBSCRIPTION_CLOSE_CODES.unauthorized, 'token revoked (the account was disabled): sign in again');
        closed += 1;
      }
      return closed;
    },
    close: async () => {
      options.server.off('upgrade', onUpgrade);
      for (const connection of connections.values()) clearTimeout(connection.expiry);
      await graphqlWs.dispose();
    },
  };
}
