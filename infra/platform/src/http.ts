import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { assert } from './assert';
import type { Logger } from './logger';
import { ChangedTags, requestChanges } from './read-cache/change-tags';

/** Largest request body a route (a provider's notification) accepts by default. */
export const REQUEST_BODY_BYTES_MAX = 1024 * 1024;
/** How long a stopping service waits for in-flight requests before closing their connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

/** A service's readiness: ready, serving without some dependency (named), or not ready (with the reason). */
export type Readiness = true | false | string | { degraded: string };

export interface HttpServiceOptions<TContext extends BaseContext> {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  apollo: ApolloServer<TContext>;
  context: (request: IncomingMessage) => Promise<TContext> | TContext;
  /**
   * `/readyz` answers 200 when this resolves true (e.g. the database answers) or `{ degraded }` (serving,
   * with what is missing named); otherwise 503, with the reason when it resolves to a string.
   */
  isReady: () => Promise<Readiness>;
  /** Largest GraphQL request body (413 beyond); routes read theirs with `readBody`'s own limit. */
  bodyBytesMax: number;
  /** Extra routes by path, such as `/metrics` or `/bank/notify`; each handler checks its own method. */
  routes?: Record<string, RouteHandler>;
  /** Runs after the server stopped taking requests and Apollo stopped: close databases here. */
  onStopped?: () => Promise<void>;
  /** A subgraph's requests collect the change tags of what they write, for their answers (read-cache). */
  collectsChanges?: boolean;
}

export interface HttpService {
  url: string;
  server: http.Server;
  stop(): Promise<void>;
}

export class RequestBodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body as UTF-8 text; 413 beyond `bytesMax` (the identity provider takes images, up to 12 MiB). */
export async function readBody(request: IncomingMessage, bytesMax = REQUEST_BODY_BYTES_MAX): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += (chunk as Buffer).length;
    if (bytes > bytesMax) throw new RequestBodyError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function parseBody(request: IncomingMessage, bytesMax: number): Promise<unknown> {
  if (request.method !== 'POST') return undefined;
  const text = await readBody(request, bytesMax);
  if (!(request.headers['content-type'] ?? '').includes('application/json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestBodyError(400, 'request body is not valid JSON');
  }
}

function headerMap(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function handleGraphQL<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
  request: IncomingMessage,
  response: ServerResponse,
  search: string,
): Promise<void> {
  const body = await parseBody(request, options.bodyBytesMax);
  const execute = () =>
    options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: request.method ?? 'GET',
        headers: headerMap(request),
        search,
        body,
      },
      context: async () => options.context(request),
    });
  // Each request collects what it changes, for its answer (read-cache/change-tags).
  const result =
    options.collectsChanges === true ? await requestChanges.run([new ChangedTags()], execute) : await execute();
  response.statusCode = result.status ?? 200;
  for (const [name, value] of result.headers) response.setHeader(name, value);
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

export interface ListeningServer {
  url: string;
  server: http.Server;
  /** Stops accepting, lets requests in flight finish (closing their connections after a grace period). */
  close(): Promise<void>;
}

/** How long the server keeps an idle keep-alive connection: well beyond any client agent's idle timeout. */
export const SERVER_KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Listens with `handler` on host:port; the URL names localhost when bound to every interface. */
export async function listenHttp(
  handler: http.RequestListener,
  host: string,
  port: number,
  path = '',
): Promise<ListeningServer> {
  const server = http.createServer(handler);
  // Idle keep-alive connections are closed by the client first (the gateway's and services' fetch agents
  // drop theirs after a few seconds): a server closing one at the same moment as a request is sent on it
  // shows up as "socket hang up" at the gateway.
  server.keepAliveTimeout = SERVER_KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = SERVER_KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  assert(address !== null && typeof address === 'object', 'server has no address');
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(grace);
  };
  return { url: `http://${shownHost}:${address.port}${path}`, server, close };
}

/**
 * Apollo Server over plain `node:http`: `/graphql` (and `/`), `/healthz` (the process is alive),
 * `/readyz` (its dependencies answer), extra routes, and a graceful stop.
 */
export async function startHttpService<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
): Promise<HttpService> {
  await options.apollo.start();
  let stopping = false;
  const listening = await listenHttp(
    (request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const route = options.routes?.[url.pathname];
      const work = async () => {
        if (url.pathname === '/healthz') return sendText(response, stopping ? 503 : 200, stopping ? 'stopping' : 'ok');
        if (url.pathname === '/readyz') {
          const readiness = stopping ? 'stopping' : await options.isReady().catch(() => false);
          if (readiness === true) return sendText(response, 200, 'ready');
          if (typeof readiness === 'object') return sendText(response, 200, `ready, degraded: ${readiness.degraded}`);
          return sendText(response, 503, readiness === false ? 'not ready' : `not ready: ${readiness}`);
        }
        if (route !== undefined) return route(request, response);
        if (url.pathname === '/graphql' || url.pathname === '/')
          return handleGraphQL(options, request, response, url.search);
        return sendText(response, 404, 'not found');
      };
      work().catch((error: unknown) => {
        if (error instanceof RequestBodyError) return sendText(response, error.status, error.message);
        options.logger.error({ err: error }, 'request failed');
        if (!response.headersSent) sendText(response, 500, 'internal error');
        else response.end();
      });
    },
    options.host,
    options.port,
    '/graphql',
  );
  options.logger.info({ url: listening.url }, `${options.name} listening`);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await listening.close();
    await options.apollo.stop();
    await options.onStopped?.();
    options.logger.info(`${options.name} stopped`);
  };
  return { url: listening.url, server: listening.server, stop };
}

/** Stops services on SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database. */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  const handle = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}
