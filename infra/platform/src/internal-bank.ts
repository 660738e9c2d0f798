import { assert } from './assert';
import { SERVICE_TOKEN_HEADER } from './auth/service-token';

/** What the bank answered through the depository agent (the agent verified the bank's signature). */
export interface InternalBankResult {
  requestNo: string;
  code: string;
  message: string;
  [field: string]: unknown;
}

export type InternalBankAnswer =
  | { kind: 'ANSWERED'; result: InternalBankResult }
  /** Nobody knows whether the bank applied it: retry with the same requestNo, or ask later. */
  | { kind: 'UNKNOWN'; reason: string };

export const BANK_SUCCESS_CODE = '00000';
/** The bank's answer when the balance does not cover a freeze: nothing was frozen. */
export const BANK_INSUFFICIENT_BALANCE_CODE = '30042';

/** A bank instruction's outcome as the platform's subgraphs act on it. */
export type BankOutcome =
  | { kind: 'DONE'; result: InternalBankResult }
  /** The bank answered no: nothing moved there. */
  | { kind: 'REFUSED'; code: string; message: string }
  /** No answer: it may or may not have been applied; send the same requestNo again. */
  | { kind: 'UNKNOWN'; reason: string };

/** One instruction of a batch; `userId` is the user it concerns, for the agent's records. */
export interface BankInstruction {
  serviceName: string;
  reqData: { requestNo: string } & Record<string, unknown>;
  userId?: string;
}

/** Instructions per batch: the agent's and the bank's bound (BATCH_ITEMS_MAX). */
export const BANK_BATCH_MAX = 200;

function outcomeOf(result: InternalBankResult): BankOutcome {
  return result.code === BANK_SUCCESS_CODE ? { kind: 'DONE', result } : { kind: 'REFUSED', code: result.code, message: result.message };
}

/**
 * How loans, bids and repayments send bank instructions: through the depository agent's internal API,
 * authenticated with the service token, idempotent by `requestNo` (a retry with the same number and
 * body gets the bank's stored answer and moves no money twice).
 */
export class InternalBankClient {
  constructor(
    private readonly depositoryUrl: string,
    private readonly serviceSecret: string,
    private readonly timeoutMs: number,
  ) {
    assert(timeoutMs > 0, 'the bank call timeout must be positive');
  }

  async send(serviceName: string, reqData: { requestNo: string } & Record<string, unknown>, userId?: string): Promise<InternalBankAnswer> {
    let response: Response;
    try {
      response = await fetch(`${this.depositoryUrl}/internal/bank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SERVICE_TOKEN_HEADER]: this.serviceSecret },
        body: JSON.stringify({ serviceName, reqData, userId }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { kind: 'UNKNOWN', reason: `${serviceName} ${reqData.requestNo}: ${(error as Error).message}` };
    }
    if (response.status !== 200) return { kind: 'UNKNOWN', reason: `${serviceName} ${reqData.requestNo}: HTTP ${response.status}` };
    const result = (await response.json()) as InternalBankResult;
    assert(result.requestNo === reqData.requestNo, `answer for ${result.requestNo}, asked ${reqData.requestNo}`);
    return { kind: 'ANSWERED', result };
  }

  /** `send`, with the answer read as done, refused or unknown. */
  async instruct(serviceName: string, reqData: { requestNo: string } & Record<string, unknown>, userId?: string): Promise<BankOutcome> {
    const answer = await this.send(serviceName, reqData, userId);
    return answer.kind === 'UNKNOWN' ? answer : outcomeOf(answer.result);
  }

  /**
   * Up to BANK_BATCH_MAX instructions under one signature: each is applied exactly as if sent alone (and
   * may be retried alone or in another batch); the outcomes come back in order. Without an answer, every
   * outcome is UNKNOWN.
   */
  async instructBatch(instructions: readonly BankInstruction[]): Promise<BankOutcome[]> {
    assert(instructions.length >= 1 && instructions.length <= BANK_BATCH_MAX, `a batch holds 1 to ${BANK_BATCH_MAX} instructions, got ${instructions.length}`);
    const unknown = (reason: string): BankOutcome[] => instructions.map(() => ({ kind: 'UNKNOWN', reason }));
    let response: Response;
    try {
      response = await fetch(`${this.depositoryUrl}/internal/bank/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SERVICE_TOKEN_HEADER]: this.serviceSecret },
        body: JSON.stringify({ items: instructions }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return unknown(`batch of ${instructions.length}: ${(error as Error).message}`);
    }
    if (response.status !== 200) return unknown(`batch of ${instructions.length}: HTTP ${response.status}`);
    const { results } = (await response.json()) as { results: InternalBankResult[] };
    assert(results.length === instructions.length, `batch of ${instructions.length} answered with ${results.length} results`);
    return results.map((result, index) => {
      assert(result.requestNo === instructions[index].reqData.requestNo, `answer ${index} is for ${result.requestNo}`);
      return outcomeOf(result);
    });
  }
}

interface QueuedInstruction {
  instruction: BankInstruction;
  waiters: ((outcome: BankOutcome) => void)[];
}

/** Instructions waiting for a batch, at most; beyond it an instruction is answered UNKNOWN at once. */
export const COALESCING_QUEUE_MAX = 4 * BANK_BATCH_MAX;

/**
 * An InternalBankClient whose `instruct` calls share batches (group commit): a call leaves at once in a
 * batch of its own when fewer than `batchesInFlight` batches are out; otherwise it waits, and every call
 * that waited leaves together in the next batch. No timer, so a lone call pays no delay, and under load
 * the agent and the bank verify, sign and record per batch rather than per call. Calls with the same
 * requestNo while one waits share its answer (a batch holds each requestNo once).
 */
export class CoalescingBankClient extends InternalBankClient {
  private readonly waiting = new Map<string, QueuedInstruction>();
  private batchesOut = 0;

  constructor(depositoryUrl: string, serviceSecret: string, timeoutMs: number, private readonly batchesInFlight: number) {
    super(depositoryUrl, serviceSecret, timeoutMs);
    assert(Number.isInteger(batchesInFlight) && batchesInFlight >= 1, `batches in flight must be ≥ 1, got ${batchesInFlight}`);
  }

  override instruct(serviceName: string, reqData: { requestNo: string } & Record<string, unknown>, userId?: string): Promise<BankOutcome> {
    return new Promise((resolve) => {
      const twin = this.waiting.get(reqData.requestNo);
      if (twin !== undefined) return void twin.waiters.push(resolve);
      if (this.waiting.size >= COALESCING_QUEUE_MAX) return resolve({ kind: 'UNKNOWN', reason: `${serviceName} ${reqData.requestNo}: ${COALESCING_QUEUE_MAX} instructions already wait for the bank` });
      this.waiting.set(reqData.requestNo, { instruction: { serviceName, reqData, ...(userId === undefined ? {} : { userId }) }, waiters: [resolve] });
      this.sendWaiting();
    });
  }

  private sendWaiting(): void {
    while (this.batchesOut < this.batchesInFlight && this.waiting.size > 0) {
      const batch = [...this.waiting.values()].slice(0, BANK_BATCH_MAX);
      for (const queued of batch) this.waiting.delete(queued.instruction.reqData.requestNo);
      this.batchesOut += 1;
      this.instructBatch(batch.map((queued) => queued.instruction))
        .catch((error: unknown) => batch.map((): BankOutcome => ({ kind: 'UNKNOWN', reason: `batch of ${batch.length}: ${(error as Error).message}` })))
        .then((outcomes) => batch.forEach((queued, index) => queued.waiters.forEach((resolve) => resolve(outcomes[index]))))
        .finally(() => {
          this.batchesOut -= 1;
          this.sendWaiting();
        });
    }
  }
}
