import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  assert,
  bankUserNoFor,
  forkEntityManager,
  isId,
  isServiceToken,
  mapBounded,
  newId,
  readBody,
  sendText,
  SERVICE_TOKEN_HEADER,
  type Database,
  type EntityManager,
  type RouteHandler,
} from '@wanxin/platform';
import {
  BANK_CODES,
  BATCH_ITEMS_MAX,
  DIRECT_SERVICE_NAMES,
  REQUEST_NO_PATTERN,
  type BankRequestByService,
  type BankResultBase,
  type DirectServiceName,
  type UndatedRequest,
} from '@wanxin/platform/bank-protocol';
import { moveOnResult, newRequestNo } from '../domain/depository-request';
import { bizTypeOf, expectedAmountFen, type RecordedAmounts } from '../domain/request-amount';
import type { AnsweredRequest } from '../domain/statement';
import { DepositoryRequest } from '../entities/depository-request.entity';
import type { DepositoryServices } from '../services';
import { insertRequestsUnlessRecorded } from '../store';
import { BankUnavailableError } from './bank-client';
import { currentBusinessDate } from './business-date';
import { answeredRequestOf, preRequestNoOf, recordedFreezes, recordStatementEntries } from './statement-entries';

/**
 * The bank services other subgraphs may ask the agent to send: the direct ones, which change only their
 * own record here (page services belong to users and move their accounts). The agent dates them.
 */
interface InternalRequest {
  serviceName: DirectServiceName;
  reqData: UndatedRequest<DirectServiceName>;
  /** The user the instruction concerns, for the records (the investor of a bid freeze). */
  userId?: string;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

function asInternalRequest(value: unknown): InternalRequest | null {
  if (typeof value !== 'object' || value === null) return null;
  const { serviceName, reqData, userId } = value as Partial<InternalRequest>;
  const serviceOk = (DIRECT_SERVICE_NAMES as readonly string[]).includes(String(serviceName));
  const requestNo = (reqData as { requestNo?: unknown } | undefined)?.requestNo;
  if (!serviceOk || typeof requestNo !== 'string' || !REQUEST_NO_PATTERN.test(requestNo)) return null;
  return userId === undefined || typeof userId === 'string' ? (value as InternalRequest) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `{items: [...]}` with 1 to BATCH_ITEMS_MAX well-formed instructions of distinct requestNos, or null. */
function asInternalBatch(value: unknown): InternalRequest[] | null {
  const items = typeof value === 'object' && value !== null ? (value as { items?: unknown }).items : undefined;
  if (!Array.isArray(items) || items.length === 0 || items.length > BATCH_ITEMS_MAX) return null;
  const requests = items.map(asInternalRequest);
  if (requests.some((request) => request === null)) return null;
  const valid = requests as InternalRequest[];
  return new Set(valid.map((request) => request.reqData.requestNo)).size === valid.length ? valid : null;
}

function projectNoOf(reqData: Record<string, unknown>): string | null {
  return typeof reqData.projectNo === 'string' ? reqData.projectNo : null;
}

/**
 * What the agent recorded earlier that `requests` depend on: the freezes they release or settle (their
 * amounts, projects and kinds) and the projects they pay out (domain/request-amount.ts).
 */
async function recordedAmounts(em: EntityManager, requests: readonly InternalRequest[]): Promise<RecordedAmounts> {
  const payouts = requests.flatMap(({ serviceName, reqData }) => {
    const projectNo = projectNoOf(reqData as Record<string, unknown>);
    return serviceName === 'CONFIRM_LOAN' && projectNo !== null ? [projectNo] : [];
  });
  const [freezes, projects] = await Promise.all([
    recordedFreezes(
      em,
      requests.flatMap(({ reqData }) => preRequestNoOf(reqData as Record<string, unknown>) ?? []),
    ),
    payouts.length === 0
      ? []
      : em.find(
          DepositoryRequest,
          { projectNo: { $in: payouts }, serviceName: 'CREATE_PROJECT', status: 'SYNC' },
          { fields: ['projectNo', 'amountFen'] },
        ),
  ]);
  return { freezes, projects: new Map(projects.map((project) => [project.projectNo!, project.amountFen])) };
}

/** Instructions recorded and dated: what is signed, and what their answers' statement entries need. */
interface SentRequests {
  reqData: BankRequestByService[DirectServiceName][];
  answered: ReadonlyMap<string, AnsweredRequest>;
}

/**
 * Records every instruction UNSYNC on today's business date before it is sent, in one statement, and
 * returns each one's reqData as it is signed, with its `accountingDate`. A retry finds its record already
 * there and is sent with the date it was first recorded on: the same body, which the bank answers with
 * its stored answer even when the business date has moved on since.
 */
async function recordSent(orm: Database, requests: readonly InternalRequest[]): Promise<SentRequests> {
  const createdAt = new Date();
  const businessDate = await currentBusinessDate(forkEntityManager(orm), createdAt);
  const earlier = await recordedAmounts(forkEntityManager(orm), requests);
  await insertRequestsUnlessRecorded(
    forkEntityManager(orm),
    requests.map(({ serviceName, reqData, userId }) => ({
      id: newId(),
      requestNo: reqData.requestNo,
      serviceName,
      userId: userId ?? null,
      amountFen: expectedAmountFen(serviceName, reqData as Record<string, unknown>, earlier),
      projectNo: projectNoOf(reqData as Record<string, unknown>),
      bizType: bizTypeOf(reqData as Record<string, unknown>),
      instruction: JSON.stringify(reqData),
      businessDate,
      status: 'UNSYNC' as const,
      bankCode: null,
      message: null,
      createdAt,
      syncedAt: null,
    })),
  );
  const recorded = await forkEntityManager(orm).find(
    DepositoryRequest,
    { requestNo: { $in: requests.map((request) => request.reqData.requestNo) } },
    { fields: ['requestNo', 'businessDate'] },
  );
  const dates = new Map(recorded.map((row) => [row.requestNo, row.businessDate]));
  const dated = requests.map(({ serviceName, reqData }) => {
    const { requestNo } = reqData;
    const request = { requestNo, serviceName, businessDate: dates.get(requestNo)! };
    return { request, instruction: reqData as Record<string, unknown> };
  });
  return {
    reqData: dated.map(
      ({ request, instruction }) =>
        ({ ...instruction, accountingDate: request.businessDate }) as BankRequestByService[DirectServiceName],
    ),
    answered: new Map(
      dated.map(({ request, instruction }) => [
        request.requestNo,
        answeredRequestOf(request, instruction, earlier.freezes),
      ]),
    ),
  };
}

/**
 * What the bank answered, applied to the records in one transaction: a success moves UNSYNC or FAILED to
 * SYNC, a refusal UNSYNC to FAILED (domain statusAfterResult), and a success's postings go on the users'
 * statements. Direct instructions change nothing else here, so results with the same code and message are
 * applied by one conditional update.
 */
async function recordAnswers(
  services: DepositoryServices,
  sent: SentRequests,
  results: readonly BankResultBase[],
): Promise<void> {
  const groups = new Map<string, { code: string; message: string; requestNos: string[] }>();
  for (const { requestNo, code, message } of results) {
    const key = `${code}\n${message}`;
    const group = groups.get(key) ?? { code, message, requestNos: [] };
    group.requestNos.push(requestNo);
    groups.set(key, group);
  }
  const answers = results.map((result) => {
    const request = sent.answered.get(result.requestNo);
    assert(request !== undefined, `the bank answered ${result.requestNo}, which the agent did not send`);
    return { request, result };
  });
  const syncedAt = new Date();
  await forkEntityManager(services.orm).transactional(async (em) => {
    await recordStatementEntries(em, answers, services.logger);
    for (const { code, message, requestNos } of groups.values()) {
      const { from, to } = moveOnResult(code === BANK_CODES.SUCCESS);
      await em.nativeUpdate(
        DepositoryRequest,
        { requestNo: { $in: requestNos }, status: { $in: from } },
        { status: to, bankCode: code, message: message.slice(0, 200), syncedAt },
      );
    }
  });
}

/** The body of an authenticated POST, parsed; null once the refusal (405, 401, 400 with `usage`) is sent. */
async function readInternal<T>(
  services: DepositoryServices,
  request: IncomingMessage,
  response: ServerResponse,
  parse: (value: unknown) => T | null,
  usage: string,
): Promise<T | null> {
  if (request.method !== 'POST') {
    sendText(response, 405, 'POST only');
    return null;
  }
  if (!isServiceToken(request.headers[SERVICE_TOKEN_HEADER], services.serviceSecret)) {
    sendText(response, 401, 'service token required');
    return null;
  }
  const parsed = parse(parseJson(await readBody(request)));
  if (parsed === null) sendText(response, 400, usage);
  return parsed;
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
    const internal = await readInternal(
      services,
      request,
      response,
      asInternalRequest,
      'expected {serviceName, reqData: {requestNo, …}, userId?}',
    );
    if (internal === null) return;
    const { requestNo } = internal.reqData;
    const sent = await recordSent(services.orm, [internal]);
    try {
      const result = await services.bank.call(internal.serviceName, sent.reqData[0] as never);
      // No balance refresh here: balances are read live from the bank when shown, and a second signed
      // round trip per freeze was a third of the agent's and the bank's work under a hot loan.
      await recordAnswers(services, sent, [result]);
      sendJson(response, 200, result);
    } catch (error) {
      if (!(error instanceof BankUnavailableError)) throw error;
      sendJson(response, 503, { requestNo, code: BANK_CODES.SYSTEM_ERROR, message: error.message });
    }
  };
}

/**
 * `POST /internal/bank/batch`: `{items: [{serviceName, reqData, userId?}, …]}`, up to BATCH_ITEMS_MAX, sent
 * to the bank as one signed BATCH_TRANSACTION. Each item is recorded, applied and answered exactly as if it
 * had been sent alone to `/internal/bank` (and may be retried either way); the answer is
 * `{results: [...]}` in item order, or 503 when the bank did not answer and every item stays UNSYNC.
 */
export function internalBankBatchRoute(services: DepositoryServices): RouteHandler {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const batch = await readInternal(
      services,
      request,
      response,
      asInternalBatch,
      `expected {items: [{serviceName, reqData: {requestNo, …}, userId?}]}, 1 to ${BATCH_ITEMS_MAX} distinct requestNos`,
    );
    if (batch === null) return;
    const sent = await recordSent(services.orm, batch);
    const batchNo = newRequestNo('BATCH_TRANSACTION');
    try {
      const answer = await services.bank.call('BATCH_TRANSACTION', {
        requestNo: batchNo,
        items: batch.map((item, index) => ({
          serviceName: item.serviceName,
          reqData: JSON.stringify(sent.reqData[index]),
        })),
      });
      if (answer.code !== BANK_CODES.SUCCESS) {
        services.logger.error(
          { batchNo, code: answer.code, message: answer.message },
          'the bank refused a batch the agent checked',
        );
        return sendJson(response, 502, { code: answer.code, message: answer.message });
      }
      const results = answer.results;
      if (
        results.length !== batch.length ||
        results.some((result, index) => result.requestNo !== batch[index].reqData.requestNo)
      ) {
        throw new BankUnavailableError(`BATCH_TRANSACTION ${batchNo}: the results do not match the items`);
      }
      await recordAnswers(services, sent, results);
      sendJson(response, 200, { results });
    } catch (error) {
      if (!(error instanceof BankUnavailableError)) throw error;
      sendJson(response, 503, { code: BANK_CODES.SYSTEM_ERROR, message: error.message });
    }
  };
}

/** Balances one `/internal/bank/balances` call asks for at most, and the bank queries it has out at once. */
export const BALANCE_QUERIES_MAX = BATCH_ITEMS_MAX;
const BALANCE_QUERIES_IN_FLIGHT = 8;

/** `{userIds: [...]}` with 1 to BALANCE_QUERIES_MAX distinct user ids, or null. */
function asBalanceQuery(value: unknown): string[] | null {
  const userIds = typeof value === 'object' && value !== null ? (value as { userIds?: unknown }).userIds : undefined;
  if (!Array.isArray(userIds) || userIds.length === 0 || userIds.length > BALANCE_QUERIES_MAX) return null;
  if (!userIds.every((userId) => typeof userId === 'string' && isId(userId))) return null;
  return new Set(userIds).size === userIds.length ? (userIds as string[]) : null;
}

/** A user's available balance as the bank reports it now, or null when the bank refuses or does not answer. */
async function availableFenAtBank(services: DepositoryServices, userId: string): Promise<string | null> {
  try {
    const result = await services.bank.call('QUERY_BALANCE', {
      requestNo: newRequestNo('QUERY_BALANCE'),
      userNo: bankUserNoFor(userId),
    });
    return result.code === BANK_CODES.SUCCESS ? result.availableFen : null;
  } catch (error) {
    if (!(error instanceof BankUnavailableError)) throw error;
    return null;
  }
}

/**
 * `POST /internal/bank/balances`: `{userIds}` → `{balances: [{userId, availableFen}]}` in order, each read
 * live from the bank (QUERY_BALANCE, a query: nothing recorded); null for a user the bank has no account
 * of or did not answer about. For bids' auto-invest reserve.
 */
export function internalBalancesRoute(services: DepositoryServices): RouteHandler {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const userIds = await readInternal(
      services,
      request,
      response,
      asBalanceQuery,
      `expected {userIds: [...]}, 1 to ${BALANCE_QUERIES_MAX} distinct user ids`,
    );
    if (userIds === null) return;
    const balances = await mapBounded(userIds, BALANCE_QUERIES_IN_FLIGHT, async (userId) => ({
      userId,
      availableFen: await availableFenAtBank(services, userId),
    }));
    sendJson(response, 200, { balances });
  };
}
