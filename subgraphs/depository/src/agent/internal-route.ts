import type { IncomingMessage, ServerResponse } from 'node:http';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { forkEntityManager, isServiceToken, readBody, sendText, SERVICE_TOKEN_HEADER, type RouteHandler } from '@wanxin/platform';
import { BANK_CODES, REQUEST_NO_PATTERN, type BankRequestByService } from '../bank/protocol';
import { DepositoryRequest } from '../entities/depository-request.entity';
import type { DepositoryServices } from '../services';
import { BankUnavailableError } from './bank-client';
import { applyBankResult } from './bank-results';

/** The bank services other subgraphs may ask the agent to send; page services belong to users. */
const INTERNAL_SERVICES = ['CREATE_PROJECT', 'MODIFY_PROJECT', 'USER_AUTO_PRE_TRANSACTION', 'CANCEL_PRE_TRANSACTION', 'CONFIRM_LOAN', 'CONFIRM_REPAYMENT'] as const;
type InternalService = (typeof INTERNAL_SERVICES)[number];

interface InternalRequest {
  serviceName: InternalService;
  reqData: BankRequestByService[InternalService];
  /** The user the instruction concerns, for the records (the investor of a bid freeze). */
  userId?: string;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

function parseInternalRequest(text: string): InternalRequest | null {
  try {
    const value = JSON.parse(text) as Partial<InternalRequest>;
    const serviceOk = (INTERNAL_SERVICES as readonly string[]).includes(String(value.serviceName));
    const requestNo = (value.reqData as { requestNo?: unknown } | undefined)?.requestNo;
    if (!serviceOk || typeof requestNo !== 'string' || !REQUEST_NO_PATTERN.test(requestNo)) return null;
    return value as InternalRequest;
  } catch {
    return null;
  }
}

/** The amount an instruction moves or freezes, when it names one, for the records and reconciliation. */
function amountOf(reqData: object): bigint | null {
  const amount = (reqData as { amountFen?: unknown }).amountFen;
  return typeof amount === 'string' && /^[0-9]{1,15}$/.test(amount) ? BigInt(amount) : null;
}

/**
 * `POST /internal/bank`: loans, bids and repayments send bank instructions through the agent, which
 * records each by requestNo (UNSYNC), signs and sends it, and records the answer. Authenticated by the
 * service token; never exposed through the gateway. Idempotent: the same requestNo and body again get
 * the bank's stored answer; a bank that does not answer is 503 and the request stays UNSYNC (retry it
 * with the same requestNo, or let QUERY_REQUEST settle it).
 */
export function internalBankRoute(services: DepositoryServices): RouteHandler {
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') return sendText(response, 405, 'POST only');
    if (!isServiceToken(request.headers[SERVICE_TOKEN_HEADER], services.serviceSecret)) return sendText(response, 401, 'service token required');
    const internal = parseInternalRequest(await readBody(request));
    if (internal === null) return sendText(response, 400, 'expected {serviceName, reqData: {requestNo, …}, userId?}');
    const { requestNo } = internal.reqData;
    const em = forkEntityManager(services.orm);
    const record = em.create(DepositoryRequest, {
      requestNo, serviceName: internal.serviceName, userId: internal.userId ?? null, amountFen: amountOf(internal.reqData), status: 'UNSYNC',
    }, { persist: false });
    // A retry of the same requestNo finds its record already there.
    await em.insert(record).catch((error: unknown) => {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    });
    try {
      const result = await services.bank.call(internal.serviceName, internal.reqData as never);
      // No balance refresh here: balances are read live from the bank when shown, and a second signed
      // round trip per freeze was a third of the agent's and the bank's work under a hot loan.
      await applyBankResult(services.orm, requestNo, result, services.logger);
      sendJson(response, 200, result);
    } catch (error) {
      if (!(error instanceof BankUnavailableError)) throw error;
      sendJson(response, 503, { requestNo, code: BANK_CODES.SYSTEM_ERROR, message: error.message });
    }
  };
}
