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
}
