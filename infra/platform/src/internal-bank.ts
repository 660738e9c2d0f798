import { assert } from './assert';
import { chunksOf } from './bounded-parallel';
import { GroupCommit } from './group-commit';
import { resolveServiceSecret, SERVICE_TOKEN_HEADER } from './auth/service-token';
import { BANK_CODES, BATCH_ITEMS_MAX, creditAssignmentRequest, type CreditAssignmentOrder } from './bank-protocol';
import type { PlatformConfig } from './config';

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

export const BANK_SUCCESS_CODE = BANK_CODES.SUCCESS;
/** The bank's answer when the balance does not cover a freeze: nothing was frozen. */
export const BANK_INSUFFICIENT_BALANCE_CODE = BANK_CODES.ACCOUNT_BALANCE_TOO_LOW;

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

/**
 * A claim transfer's settlement (CREDIT_ASSIGNMENT) as the agent takes it, recorded for the buyer `buyerId`:
 * send it with `instruct` (or in a batch); the same order again gets the bank's first answer. A refusal's
 * code says why: BANK_INSUFFICIENT_BALANCE_CODE when the buyer is short of the price.
 */
export function creditAssignmentInstruction(order: CreditAssignmentOrder, buyerId: string): BankInstruction {
  return { serviceName: 'CREDIT_ASSIGNMENT', reqData: creditAssignmentRequest(order), userId: buyerId };
}

/** Instructions per batch: the agent's and the bank's bound (BATCH_ITEMS_MAX). */
export const BANK_BATCH_MAX = BATCH_ITEMS_MAX;

function outcomeOf(result: InternalBankResult): BankOutcome {
  return result.code === BANK_SUCCESS_CODE
    ? { kind: 'DONE', result }
    : { kind: 'REFUSED', code: result.code, message: result.message };
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

  async send(
    serviceName: string,
    reqData: { requestNo: string } & Record<string, unknown>,
    userId?: string,
  ): Promise<InternalBankAnswer> {
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
    if (response.status !== 200)
      return { kind: 'UNKNOWN', reason: `${serviceName} ${reqData.requestNo}: HTTP ${response.status}` };
    const result = (await response.json()) as InternalBankResult;
    assert(result.requestNo === reqData.requestNo, `answer for ${result.requestNo}, asked ${reqData.requestNo}`);
    return { kind: 'ANSWERED', result };
  }

  /** `send`, with the answer read as done, refused or unknown. */
  async instruct(
    serviceName: string,
    reqData: { requestNo: string } & Record<string, unknown>,
    userId?: string,
  ): Promise<BankOutcome> {
    const answer = await this.send(serviceName, reqData, userId);
    return answer.kind === 'UNKNOWN' ? answer : outcomeOf(answer.result);
  }

  /**
   * Up to BANK_BATCH_MAX instructions under one signature: each is applied exactly as if sent alone (and
   * may be retried alone or in another batch); the outcomes come back in order. Without an answer, every
   * outcome is UNKNOWN.
   */
  async instructBatch(instructions: readonly BankInstruction[]): Promise<BankOutcome[]> {
    assert(
      instructions.length >= 1 && instructions.length <= BANK_BATCH_MAX,
      `a batch holds 1 to ${BANK_BATCH_MAX} instructions, got ${instructions.length}`,
    );
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
    assert(
      results.length === instructions.length,
      `batch of ${instructions.length} answered with ${results.length} results`,
    );
    return results.map((result, index) => {
      assert(result.requestNo === instructions[index].reqData.requestNo, `answer ${index} is for ${result.requestNo}`);
      return outcomeOf(result);
    });
  }

  /**
   * The users' available balances as the bank reports them now (QUERY_BALANCE through the agent), at most
   * BANK_BATCH_MAX users a call; null for a user without an opened account or whom the bank did not answer.
   * Throws when the agent does not answer: nothing can be said of anyone's balance then.
   */
  async availableBalances(userIds: readonly string[]): Promise<Map<string, bigint | null>> {
    assert(
      userIds.length >= 1 && userIds.length <= BANK_BATCH_MAX,
      `1 to ${BANK_BATCH_MAX} users a balance query, got ${userIds.length}`,
    );
    const response = await fetch(`${this.depositoryUrl}/internal/bank/balances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SERVICE_TOKEN_HEADER]: this.serviceSecret },
      body: JSON.stringify({ userIds }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (response.status !== 200) throw new Error(`balances of ${userIds.length} users: HTTP ${response.status}`);
    const { balances } = (await response.json()) as { balances: { userId: string; availableFen: string | null }[] };
    assert(balances.length === userIds.length, `asked ${userIds.length} balances, got ${balances.length}`);
    return new Map(
      balances.map(({ userId, availableFen }, index) => {
        assert(userId === userIds[index], `balance ${index} is ${userId}'s, asked ${userIds[index]}'s`);
        return [userId, availableFen === null ? null : BigInt(availableFen)];
      }),
    );
  }

  /** Instructions that belong together, in batches of BANK_BATCH_MAX; one outcome per instruction, in order. */
  instructAll(instructions: readonly BankInstruction[]): Promise<BankOutcome>[] {
    return chunksOf(instructions, BANK_BATCH_MAX).flatMap((chunk) => {
      const outcomes = this.instructBatch(chunk);
      return chunk.map((_, index) => outcomes.then((answered) => answered[index]));
    });
  }
}

/** Instructions waiting for a batch, at most; beyond it an instruction is answered UNKNOWN at once. */
export const COALESCING_QUEUE_MAX = 4 * BANK_BATCH_MAX;

/**
 * An InternalBankClient whose instructions share batches (GroupCommit): one leaves at once in a batch of
 * its own when fewer than `batchesInFlight` batches are out; otherwise it waits, and everything that
 * waited leaves together in the next batch. Under load the agent and the bank verify, sign and record per
 * batch rather than per instruction. An instruction whose requestNo is already on its way shares that
 * one's answer (a batch holds each requestNo once).
 */
export class CoalescingBankClient extends InternalBankClient {
  private readonly batches: GroupCommit<BankInstruction, BankOutcome>;
  private readonly unanswered = new Map<string, Promise<BankOutcome>>();

  constructor(depositoryUrl: string, serviceSecret: string, timeoutMs: number, batchesInFlight: number) {
    super(depositoryUrl, serviceSecret, timeoutMs);
    this.batches = new GroupCommit(
      (instructions) =>
        this.instructBatch(instructions).catch((error: unknown) =>
          instructions.map((): BankOutcome => ({
            kind: 'UNKNOWN',
            reason: `batch of ${instructions.length}: ${(error as Error).message}`,
          })),
        ),
      { groupsInFlightMax: batchesInFlight, itemsPerGroupMax: BANK_BATCH_MAX, waitingMax: COALESCING_QUEUE_MAX },
    );
  }

  override instruct(
    serviceName: string,
    reqData: { requestNo: string } & Record<string, unknown>,
    userId?: string,
  ): Promise<BankOutcome> {
    return this.instructAll([{ serviceName, reqData, ...(userId === undefined ? {} : { userId }) }])[0];
  }

  /** The instructions join the queue together, so they leave in one batch (or with what waits already). */
  override instructAll(instructions: readonly BankInstruction[]): Promise<BankOutcome>[] {
    const fresh = [
      ...new Map(
        instructions
          .filter(({ reqData }) => !this.unanswered.has(reqData.requestNo))
          .map((instruction) => [instruction.reqData.requestNo, instruction]),
      ).values(),
    ];
    const outcomes = this.batches.offerAll(fresh);
    if (outcomes === undefined) {
      const reason = `${COALESCING_QUEUE_MAX} instructions already wait for the bank`;
      return instructions.map(
        (instruction) =>
          this.unanswered.get(instruction.reqData.requestNo) ??
          Promise.resolve({
            kind: 'UNKNOWN',
            reason: `${instruction.serviceName} ${instruction.reqData.requestNo}: ${reason}`,
          }),
      );
    }
    fresh.forEach((instruction, index) => {
      const requestNo = instruction.reqData.requestNo;
      this.unanswered.set(requestNo, outcomes[index]);
      void outcomes[index].finally(() => this.unanswered.delete(requestNo));
    });
    return instructions.map((instruction) => this.unanswered.get(instruction.reqData.requestNo)!);
  }
}

/** How long a subgraph's bank instruction may take before its answer is UNKNOWN. */
const SUBGRAPH_BANK_TIMEOUT_MS = 10_000;

/**
 * A subgraph's client of the depository's internal bank API (DEPOSITORY_INTERNAL_URL, the shared service
 * secret). With `batchesInFlight`, concurrent instructions go to the bank together (CoalescingBankClient).
 */
export function subgraphBankClient(config: PlatformConfig, batchesInFlight?: number): InternalBankClient {
  const secret = resolveServiceSecret(config.dataDir, config.internalApiSecret);
  if (batchesInFlight === undefined) {
    return new InternalBankClient(config.depositoryInternalUrl, secret, SUBGRAPH_BANK_TIMEOUT_MS);
  }
  return new CoalescingBankClient(config.depositoryInternalUrl, secret, SUBGRAPH_BANK_TIMEOUT_MS, batchesInFlight);
}
