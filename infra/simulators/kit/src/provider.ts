import type { IncomingMessage, ServerResponse } from 'node:http';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  createLogger,
  databaseKind,
  forkEntityManager,
  isDatabaseReachable,
  listenHttp,
  openDatabase,
  readBody,
  RequestBodyError,
  sendText,
  type Database,
  type DatabaseSpec,
  type EntityManager,
  type Logger,
} from '@wanxin/platform';
import {
  PROVIDER_CODE_HTTP_STATUS,
  signProviderMessage,
  type Parsed,
  type ProviderReceipt,
} from '@wanxin/platform/provider-protocol';
import { callbackCounts, callbackSigner, CallbackWorker, enqueueCallback, requeueCallback } from './callbacks';
import { resolveProviderKeys, type ProviderConfig, type ProviderIdentity, type ProviderKeys } from './config';
import type { CallbackStatus } from './entities';
import { openPlatformRequest } from './requests';

/** What a provider's routes run with. */
export interface ProviderContext {
  orm: Database;
  config: ProviderConfig;
  keys: ProviderKeys;
  logger: Logger;
  /** Asks the callback worker to deliver soon (after a commit that enqueued one). */
  wakeCallbacks(): void;
}

export interface ProviderRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(context: ProviderContext, request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export interface ProviderDefinition {
  identity: ProviderIdentity;
  database: DatabaseSpec;
  /** The message type of its synchronous answers. */
  receiptType: string;
  routes: ProviderRoute[];
  /** While true (a simulated outage) no callback is delivered. */
  callbacksPaused?(): boolean;
}

/** A running provider simulator. */
export interface RunningProvider {
  url: string;
  /** The provider's own database, for what a provider counts for tests and operators. */
  orm: Database;
  /** Verifies the provider's receipts and callbacks. */
  publicKeyPem: string;
  /** Callbacks per status (PENDING, DELIVERED, GAVE_UP). */
  callbackCounts(): Promise<Record<CallbackStatus, number>>;
  stop(): Promise<void>;
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(value));
}

/** A signed receipt with the HTTP status of its code. */
export function sendReceipt(
  context: ProviderContext,
  response: ServerResponse,
  receiptType: string,
  receipt: ProviderReceipt,
): void {
  sendJson(
    response,
    PROVIDER_CODE_HTTP_STATUS[receipt.code],
    signProviderMessage(receiptType, receipt, context.keys.privateKeyPem),
  );
}

export interface SignedRequestRoute<T> {
  requestType: string;
  receiptType: string;
  bodyBytesMax?: number;
  parse(data: Record<string, unknown>): Parsed<T>;
  /** Records the request (and its callback) and returns the provider's reference. */
  accept(context: ProviderContext, request: T): Promise<string>;
}

/** The one way a provider takes a request: verify, refuse replays, parse, accept, answer a signed receipt. */
export function signedRequestRoute<T>(path: string, route: SignedRequestRoute<T>): ProviderRoute {
  return {
    method: 'POST',
    path,
    async handle(context, request, response) {
      const body = await readBody(request, route.bodyBytesMax);
      const opening = await openPlatformRequest(
        context.orm,
        body,
        route.requestType,
        context.keys.platformPublicKeyPem,
        route.parse,
      );
      if (!opening.ok) {
        return sendReceipt(context, response, route.receiptType, {
          code: opening.code,
          message: opening.message,
          reference: null,
        });
      }
      const reference = await route.accept(context, opening.value);
      context.wakeCallbacks();
      sendReceipt(context, response, route.receiptType, { code: 'ACCEPTED', message: 'accepted', reference });
    },
  };
}

/**
 * Opens (and migrates) the provider's database `<prefix>_<name>`, serves its routes plus /healthz and
 * /readyz on plain node:http, and delivers its callbacks until stopped.
 */
export async function startProvider(definition: ProviderDefinition, config: ProviderConfig): Promise<RunningProvider> {
  const { name } = definition.identity;
  const logger = createLogger(name, config.platform.logLevel, config.platform.logFormat);
  const keys = resolveProviderKeys(config, name);
  const orm = await openDatabase(config.platform, definition.database);
  const worker = new CallbackWorker(
    orm,
    {
      sign: callbackSigner(keys.privateKeyPem),
      retryBaseMs: config.settings.callbackRetryBaseMs,
      databaseKind: databaseKind(config.platform),
      paused: () => definition.callbacksPaused?.() ?? false,
    },
    logger,
  );
  const context: ProviderContext = { orm, config, keys, logger, wakeCallbacks: () => worker.wake() };
  let stopping = false;
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') return sendText(response, stopping ? 503 : 200, stopping ? 'stopping' : 'ok');
    if (path === '/readyz') {
      const ready = !stopping && (await isDatabaseReachable(orm).catch(() => false));
      return sendText(response, ready ? 200 : 503, ready ? 'ready' : 'not ready');
    }
    const match = definition.routes.find((candidate) => candidate.path === path);
    if (match === undefined) return sendText(response, 404, 'not found');
    if (match.method !== request.method) return sendText(response, 405, 'method not allowed');
    return match.handle(context, request, response);
  };
  const fail = (request: IncomingMessage, response: ServerResponse, error: unknown): void => {
    if (error instanceof RequestBodyError) return sendText(response, error.status, error.message);
    logger.error({ err: error, path: request.url }, `${name} request failed`);
    if (response.headersSent) return void response.end();
    sendReceipt(context, response, definition.receiptType, {
      code: 'SYSTEM_ERROR',
      message: 'nothing was recorded: send the request again',
      reference: null,
    });
  };
  try {
    const listening = await listenHttp(
      (request, response) => {
        route(request, response).catch((error: unknown) => fail(request, response, error));
      },
      config.platform.host,
      config.port,
    );
    logger.info({ url: listening.url }, `${name} provider listening`);
    worker.start();
    return {
      url: listening.url,
      orm,
      publicKeyPem: keys.publicKeyPem,
      callbackCounts: () => callbackCounts(orm),
      async stop() {
        if (stopping) return;
        stopping = true;
        await listening.close();
        await worker.stop();
        await orm.close(true);
        logger.info(`${name} provider stopped`);
      },
    };
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}

/** A request's rows, about to be recorded for the first time. */
export interface NewRecord {
  reference: string;
  /** Creates the provider's own rows in one transaction. */
  record(tx: EntityManager): void;
}

/**
 * Records a request's rows once: a request seen before (`findReference` knows its reference), or recorded
 * by a twin that arrived at the same moment (the insert breaks a unique constraint), gets the recorded
 * reference; only a request never seen is given to `create`.
 */
export async function recordOnce(
  context: ProviderContext,
  findReference: (em: EntityManager) => Promise<string | null>,
  create: (now: Date) => NewRecord,
): Promise<string> {
  const known = await findReference(forkEntityManager(context.orm));
  if (known !== null) return known;
  const created = create(new Date());
  try {
    await forkEntityManager(context.orm).transactional(async (tx) => created.record(tx));
    return created.reference;
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const raced = await findReference(forkEntityManager(context.orm));
    if (raced === null) throw error;
    return raced;
  }
}

/** A provider's decision about a new request: its rows and the callback that tells the platform. */
export interface Decision extends NewRecord {
  messageType: string;
  /** What the callback carries. */
  data: object;
}

/**
 * Records a decision and its callback (due after the decision delay) once per request (recordOnce). A
 * request seen before gets the recorded reference, and its callback goes out again, to `callbackUrl`:
 * re-asking is how the platform gets a lost answer.
 */
export function recordDecisionOnce(
  context: ProviderContext,
  callbackUrl: string,
  findReference: (em: EntityManager) => Promise<string | null>,
  decide: (now: Date) => Decision,
): Promise<string> {
  const reask = async (em: EntityManager): Promise<string | null> => {
    const reference = await findReference(em);
    if (reference !== null) await requeueCallback(em, reference, callbackUrl, new Date());
    return reference;
  };
  return recordOnce(context, reask, (now) => {
    const decision = decide(now);
    return {
      reference: decision.reference,
      record(tx) {
        decision.record(tx);
        enqueueCallback(tx, {
          reference: decision.reference,
          url: callbackUrl,
          messageType: decision.messageType,
          data: decision.data,
          firstAttemptAt: new Date(now.getTime() + context.config.settings.decisionDelayMs),
        });
      },
    };
  });
}
