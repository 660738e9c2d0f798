import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { assert, forkEntityManager, insertRows, isLockConflict, newId, type EntityManager } from '@wanxin/platform';
import { isCancelledRecord } from '../domain/cancelled-request';
import { BankRefusals, isSuccess, type Outcome } from '../domain/outcomes';
import { OutgoingNotification } from '../entities/outgoing-notification.entity';
import { BankRequest } from '../entities/bank-request.entity';
import {
  decodeData,
  isPageService,
  signResult,
  type BankResultBase,
  type BankServiceName,
  type SignedResponse,
} from '@wanxin/platform/bank-protocol';
import { ConcurrentChange, type BankRuntime } from './runtime';

/**
 * Exactly-once requests. A request that changes anything is recorded under its requestNo in the same
 * transaction as its effect: the service runs, then its answer is inserted under the unique requestNo.
 * A concurrent twin runs too, but its insert fails on the key, its transaction rolls back and it answers
 * with the winner's stored answer. A business refusal rolls the effect back and records the refusal in
 * a second transaction, so the ledger never keeps half a group. A repeat with the same body gets the
 * stored answer; with another body it is refused and nothing is recorded.
 */

export interface VerifiedRequest {
  serviceName: BankServiceName;
  platformNo: string;
  requestNo: string;
  bodySha256: string;
  /** The instruction's accounting date (checked when it was opened); null for a query or a batch envelope. */
  accountingDate: string | null;
}

export interface Recorded {
  /** The signed answer; signed when first read (an item of a batch is answered inside the batch's). */
  readonly response: SignedResponse;
  result: BankResultBase & Record<string, unknown>;
  /** True when this answer was stored by an earlier delivery of the same request. */
  replayed: boolean;
}

/** Deadlocks, lock timeouts and lost races are retried this many times before answering 00001. */
const ATTEMPTS_MAX = 6;
const RETRY_DELAY_MS = 20;

export function bodySha256(serviceName: string, json: string): string {
  return createHash('sha256').update(`${serviceName}\n${json}`, 'utf8').digest('hex');
}

export function resultOf(requestNo: string, outcome: Outcome): BankResultBase & Record<string, unknown> {
  return { requestNo, code: outcome.code, message: outcome.message, ...outcome.fields };
}

/** The request an answer is about: its verified service and requestNo, or null when nothing of it was verified. */
export type AnsweredRequest = Pick<VerifiedRequest, 'serviceName' | 'requestNo'> | null;

/** The bank's signature over `result` as a message of type `messageType` about `serviceName`. */
function signAs(
  runtime: BankRuntime,
  messageType: SignedResponse['messageType'],
  serviceName: string,
  result: BankResultBase & Record<string, unknown>,
): SignedResponse {
  const message = { messageType, serviceName, platformNo: runtime.settings.platformNo };
  return signResult(message, result, runtime.keys.bankPrivateKeyPem);
}

/** A result whose signature is made when, and only when, `response` is read (RSA signing is the costly part). */
function recordedResult(
  runtime: BankRuntime,
  serviceName: string,
  result: BankResultBase & Record<string, unknown>,
  replayed: boolean,
): Recorded {
  let response: SignedResponse | undefined;
  return {
    get response() {
      response ??= signAs(runtime, 'RESPONSE', serviceName, result);
      return response;
    },
    result,
    replayed,
  };
}

/**
 * The signed answer to `request`. A request that did not verify is answered without its requestNo and
 * service: a signed refusal naming them could be shown to the agent as the bank's word about that request.
 */
export function signOutcome(runtime: BankRuntime, request: AnsweredRequest, outcome: Outcome): Recorded {
  return recordedResult(runtime, request?.serviceName ?? '', resultOf(request?.requestNo ?? '', outcome), false);
}

/**
 * A recorded request's stored answer. Stored unsigned and signed when sent (PKCS#1 v1.5 signatures are
 * deterministic, so a replay is byte for byte the first answer); rows written before 2026-11-22 hold
 * the signed answer itself.
 */
export function storedResult(row: BankRequest): BankResultBase & Record<string, unknown> {
  const stored = JSON.parse(row.response) as BankResultBase & Record<string, unknown>;
  if (typeof stored.respData !== 'string') return stored;
  const json = decodeData(stored.respData);
  assert(json !== null, `stored response of ${row.requestNo} is not base64 JSON`);
  return JSON.parse(json);
}

function decodeStored(runtime: BankRuntime, row: BankRequest): Recorded {
  return recordedResult(runtime, row.serviceName, storedResult(row), true);
}

class RequestAlreadyRecorded extends Error {}

class Refused extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.message);
  }
}

export type Earlier = { kind: 'STORED'; recorded: Recorded } | { kind: 'REUSED'; refusal: Outcome } | null;

function earlierOf(runtime: BankRuntime, row: BankRequest, request: VerifiedRequest): NonNullable<Earlier> {
  // A cancelled page request is answered with its cancellation, whatever body comes under its requestNo.
  if (isCancelledRecord(row)) return { kind: 'STORED', recorded: decodeStored(runtime, row) };
  if (row.bodySha256 !== request.bodySha256)
    return { kind: 'REUSED', refusal: BankRefusals.requestNoReused(request.requestNo) };
  return { kind: 'STORED', recorded: decodeStored(runtime, row) };
}

/** The stored answer to this request, the refusal for a requestNo used with another body, or null. */
export async function findRecorded(runtime: BankRuntime, request: VerifiedRequest): Promise<Earlier> {
  const row = await forkEntityManager(runtime.orm).findOne(BankRequest, { requestNo: request.requestNo });
  return row === null ? null : earlierOf(runtime, row, request);
}

/** findRecorded for many requests (a batch's items) in one read: an entry for each one seen before. */
export async function findRecordedMany(
  runtime: BankRuntime,
  requests: readonly VerifiedRequest[],
): Promise<Map<string, NonNullable<Earlier>>> {
  const earlier = new Map<string, NonNullable<Earlier>>();
  if (requests.length === 0) return earlier;
  const byRequestNo = new Map(requests.map((request) => [request.requestNo, request]));
  for (const row of await forkEntityManager(runtime.orm).find(BankRequest, {
    requestNo: { $in: [...byRequestNo.keys()] },
  })) {
    earlier.set(row.requestNo, earlierOf(runtime, row, byRequestNo.get(row.requestNo)!));
  }
  return earlier;
}

/** What a request gets when it was seen before: the stored answer, or a signed (unrecorded) refusal. */
export function answerOfEarlier(
  runtime: BankRuntime,
  request: VerifiedRequest,
  earlier: NonNullable<Earlier>,
): Recorded {
  return earlier.kind === 'STORED' ? earlier.recorded : signOutcome(runtime, request, earlier.refusal);
}

/** The page service's result as a NOTIFICATION: signed apart from the RESPONSE, so neither passes for the other. */
async function enqueueNotification(
  runtime: BankRuntime,
  tx: EntityManager,
  request: VerifiedRequest,
  recorded: Recorded,
): Promise<void> {
  const body = JSON.stringify(signAs(runtime, 'NOTIFICATION', request.serviceName, recorded.result));
  const now = new Date();
  await tx.insert(OutgoingNotification, {
    id: newId(),
    requestNo: request.requestNo,
    body,
    attempts: 0,
    nextAttemptAt: now,
    status: 'PENDING',
    lastError: null,
    deliveredAt: null,
    createdAt: now,
  });
}

/** The row that records a request's answer under its requestNo. */
export function requestRecord(
  request: VerifiedRequest,
  outcome: Outcome,
  recorded: Recorded,
  createdAt: Date,
): BankRequest {
  assert(request.accountingDate !== null, `${request.serviceName} is not an instruction: it is never recorded`);
  return {
    requestNo: request.requestNo,
    serviceName: request.serviceName,
    bodySha256: request.bodySha256,
    status: isSuccess(outcome) ? 'SUCCESS' : 'FAILED',
    code: outcome.code,
    response: JSON.stringify(recorded.result),
    accountingDate: request.accountingDate,
    createdAt,
  };
}

/** Stores the request's answer under its requestNo, last in its transaction; a twin's earlier row wins. */
async function record(
  runtime: BankRuntime,
  tx: EntityManager,
  request: VerifiedRequest,
  outcome: Outcome,
): Promise<Recorded> {
  const recorded = signOutcome(runtime, request, outcome);
  try {
    await insertRows(tx, BankRequest, [requestRecord(request, outcome, recorded, new Date())]);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new RequestAlreadyRecorded();
    throw error;
  }
  if (isPageService(request.serviceName)) await enqueueNotification(runtime, tx, request, recorded);
  return recorded;
}

/** A deadlock, lock timeout or lost race: running the request again from the start settles it. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof ConcurrentChange ||
    isLockConflict(error) ||
    // A settlement racing another for the same freeze, or two registrations of one userNo: the next
    // attempt reads the winner's row and refuses on business grounds.
    error instanceof UniqueConstraintViolationException
  );
}

/** The stored answer after a twin request won the race to the requestNo. */
async function storedAfterRace(runtime: BankRuntime, request: VerifiedRequest): Promise<Recorded> {
  const earlier = await findRecorded(runtime, request);
  assert(earlier !== null, `request ${request.requestNo} was recorded by a twin but cannot be read`);
  return answerOfEarlier(runtime, request, earlier);
}

/** Records a refusal (a bad parameter, an unknown user, a low balance) and, for a page service, its notification. */
export async function recordFailure(
  runtime: BankRuntime,
  request: VerifiedRequest,
  outcome: Outcome,
): Promise<Recorded> {
  assert(!isSuccess(outcome), 'only a refusal is recorded as a failure');
  try {
    const recorded = await forkEntityManager(runtime.orm).transactional((tx) => record(runtime, tx, request, outcome));
    if (isPageService(request.serviceName)) runtime.wakeNotifier();
    return recorded;
  } catch (error) {
    if (error instanceof RequestAlreadyRecorded) return storedAfterRace(runtime, request);
    throw error;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` for the request exactly once: inside one transaction with the request's record, retried
 * on deadlocks and lost races; a non-success outcome rolls everything back and is recorded as a failure.
 */
export async function runRecorded(
  runtime: BankRuntime,
  request: VerifiedRequest,
  work: (tx: EntityManager) => Promise<Outcome>,
): Promise<Recorded> {
  for (let attempt = 1; attempt <= ATTEMPTS_MAX; attempt += 1) {
    try {
      const recorded = await forkEntityManager(runtime.orm).transactional(async (tx) => {
        const outcome = await work(tx);
        if (!isSuccess(outcome)) throw new Refused(outcome);
        return record(runtime, tx, request, outcome);
      });
      if (isPageService(request.serviceName)) runtime.wakeNotifier();
      return recorded;
    } catch (error) {
      if (error instanceof Refused) return recordFailure(runtime, request, error.outcome);
      if (error instanceof RequestAlreadyRecorded) return storedAfterRace(runtime, request);
      if (!isRetryable(error) || attempt === ATTEMPTS_MAX) throw error;
      // A twin running at the same time may have won, its own rows (a freeze's unique requestNo) failing ours.
      const earlier = await findRecorded(runtime, request);
      if (earlier !== null) return answerOfEarlier(runtime, request, earlier);
      runtime.logger.debug({ requestNo: request.requestNo, attempt, err: error }, 'bank request retried');
      await pause(RETRY_DELAY_MS * attempt + Math.floor(Math.random() * RETRY_DELAY_MS));
    }
  }
  throw new Error('unreachable: the retry loop returns or throws');
}
