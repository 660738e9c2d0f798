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
    if (answer.kind === 'UNKNOWN') return answer;
    const { code, message } = answer.result;
    return code === BANK_SUCCESS_CODE ? { kind: 'DONE', result: answer.result } : { kind: 'REFUSED', code, message };
  }
}
