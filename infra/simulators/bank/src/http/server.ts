import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  isDatabaseReachable,
  isOpsRequestAllowed,
  listenHttp,
  readBody,
  refuseOpsRequest,
  RequestBodyError,
  sendText,
  type Logger,
  type OpsAccess,
} from '@wanxin/platform';
import { parseFileFault } from '../domain/file-faults';
import { BankRefusals } from '../domain/outcomes';
import { BANK_PATHS } from '@wanxin/platform/bank-protocol';
import { answerServiceRequest } from '../services/dispatcher';
import type { LedgerCheck } from '../services/ledger-check';
import { submitPage, viewPage, type PageView } from '../services/page-flow';
import { signOutcome } from '../services/recording';
import type { BankRuntime } from '../services/runtime';
import { envelopeOfForm, parseJsonObject } from './body';
import { renderPage } from './page';

export interface BankRoutes {
  runtime: BankRuntime;
  checkLedger(): Promise<LedgerCheck>;
  /** Who may read `/ledger/check` (METRICS_TOKEN). */
  opsAccess: OpsAccess;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(value));
}

function sendPage(response: ServerResponse, view: PageView): void {
  // A page that asks for a password: never cached, never framed by another site.
  response.writeHead(view.status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  response.end(renderPage(view));
}

async function handleService(routes: BankRoutes, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const raw = parseJsonObject(await readBody(request));
  sendJson(response, 200, await answerServiceRequest(routes.runtime, raw));
}

async function handleGateway(
  routes: BankRoutes,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  if (request.method === 'GET') {
    // A password never travels in a URL: GET only shows the page.
    return sendPage(response, await viewPage(routes.runtime, envelopeOfForm(url.searchParams).raw));
  }
  const { raw, password } = envelopeOfForm(new URLSearchParams(await readBody(request)));
  sendPage(
    response,
    password === undefined ? await viewPage(routes.runtime, raw) : await submitPage(routes.runtime, raw, password),
  );
}

/**
 * `POST /ops/reconciliation-faults`: `{requestNo, fault: OMIT|AMOUNT|STATUS|SERVICE}` miswrites that request in
 * its reconciliation file; `{date, phantom: {requestNo, serviceName, amountFen}}` adds a record of a
 * request the platform never sent (domain/file-faults.ts).
 */
async function handleFileFault(routes: BankRoutes, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const fault = parseFileFault(await readBody(request));
  if (fault === null) return sendText(response, 400, 'expected {requestNo, fault} or {date, phantom}');
  if ('kind' in fault) routes.runtime.fileFaults.corrupt(fault.requestNo, fault.kind);
  else routes.runtime.fileFaults.invent(fault);
  return sendText(response, 200, 'OK');
}

async function route(
  routes: BankRoutes,
  request: IncomingMessage,
  response: ServerResponse,
  stopping: boolean,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  if (url.pathname === '/healthz') return sendText(response, stopping ? 503 : 200, stopping ? 'stopping' : 'ok');
  if (url.pathname === '/readyz') {
    const ready = !stopping && (await isDatabaseReachable(routes.runtime.orm).catch(() => false));
    return sendText(response, ready ? 200 : 503, ready ? 'ready' : 'not ready');
  }
  if (url.pathname === BANK_PATHS.service && method === 'POST') return handleService(routes, request, response);
  if (url.pathname === BANK_PATHS.gateway && (method === 'GET' || method === 'POST'))
    return handleGateway(routes, request, response, url);
  if (url.pathname === '/ops/reconciliation-faults' && method === 'POST') {
    if (!isOpsRequestAllowed(request, routes.opsAccess)) return refuseOpsRequest(response);
    return handleFileFault(routes, request, response);
  }
  if (url.pathname === '/ledger/check' && method === 'GET') {
    if (!isOpsRequestAllowed(request, routes.opsAccess)) return refuseOpsRequest(response);
    const check = await routes.checkLedger();
    return sendJson(response, check.ok ? 200 : 500, check);
  }
  return sendText(response, 404, 'not found');
}

function fail(routes: BankRoutes, request: IncomingMessage, response: ServerResponse, error: unknown): void {
  if (error instanceof RequestBodyError) return sendText(response, error.status, error.message);
  routes.runtime.logger.error({ err: error, path: request.url }, 'bank request failed');
  if (response.headersSent) return void response.end();
  // Nothing was committed (the transaction rolled back): 00001 tells the platform to send it again.
  const answer = signOutcome(routes.runtime, null, BankRefusals.systemError('the request was not applied')).response;
  sendJson(response, 500, answer);
}

export interface BankHttpServer {
  url: string;
  server: http.Server;
  stop(): Promise<void>;
}

/** The bank's HTTP API on plain node:http: /service, /gateway, /ledger/check, /healthz, /readyz. */
export async function listenBank(
  routes: BankRoutes,
  host: string,
  port: number,
  logger: Logger,
): Promise<BankHttpServer> {
  let stopping = false;
  const listening = await listenHttp(
    (request, response) => {
      route(routes, request, response, stopping).catch((error: unknown) => fail(routes, request, response, error));
    },
    host,
    port,
  );
  logger.info({ url: listening.url }, 'bank listening');
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await listening.close();
  };
  return { url: listening.url, server: listening.server, stop };
}
