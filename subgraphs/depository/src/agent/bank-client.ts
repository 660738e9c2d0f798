import type { Logger } from '@wanxin/platform';
import {
  BANK_PATHS,
  openSignedResult,
  signRequest,
  type BankEnvelope,
  type BankRequestByService,
  type BankResult,
  type BankServiceName,
  type PageServiceName,
} from '@wanxin/platform/bank-protocol';

/** Where and as whom the agent reaches the custodian bank (the simulator by default, a real bank in production). */
export interface BankConnection {
  /** The bank's direct API, called by the agent: `<bankUrl>/service`. */
  bankUrl: string;
  /** The bank's page as the user's browser reaches it: `<bankPublicUrl>/gateway`. */
  bankPublicUrl: string;
  platformNo: string;
  bankTimeoutMs: number;
}

/** The bank did not answer usably (down, timeout, bad signature): the request's outcome is unknown. */
export class BankUnavailableError extends Error {
  override name = 'BankUnavailableError';
}

/** A signed form the user's browser posts to the bank's page (plus the trade password). */
export interface BankRedirectForm {
  url: string;
  method: 'POST';
  fields: { name: string; value: string }[];
  requestNo: string;
}

/**
 * The agent's only way to the bank: signed requests over HTTP, signed answers verified before anything
 * is believed. A call that fails in transport leaves the request UNSYNC; QUERY_REQUEST settles it later.
 */
export class BankClient {
  constructor(
    private readonly settings: BankConnection,
    private readonly platformPrivateKeyPem: string,
    private readonly bankPublicKeyPem: string,
    private readonly logger: Logger,
  ) {}

  envelope<S extends BankServiceName>(serviceName: S, reqData: BankRequestByService[S]): BankEnvelope {
    return signRequest(serviceName, this.settings.platformNo, reqData, this.platformPrivateKeyPem);
  }

  /**
   * The form for a page service, issued now (`issuedAt`; the bank refuses it once its lifetime is over):
   * the user completes it on the bank's page with the trade password.
   */
  redirect<S extends PageServiceName>(
    serviceName: S,
    reqData: Omit<BankRequestByService[S], 'issuedAt'>,
  ): BankRedirectForm {
    const issued = { ...reqData, issuedAt: new Date().toISOString() } as BankRequestByService[S];
    const envelope = this.envelope(serviceName, issued);
    return {
      url: `${this.settings.bankPublicUrl}${BANK_PATHS.gateway}`,
      method: 'POST',
      fields: Object.entries(envelope).map(([name, value]) => ({ name, value })),
      requestNo: reqData.requestNo,
    };
  }

  async call<S extends BankServiceName>(serviceName: S, reqData: BankRequestByService[S]): Promise<BankResult<S>> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.bankUrl}${BANK_PATHS.service}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.envelope(serviceName, reqData)),
        signal: AbortSignal.timeout(this.settings.bankTimeoutMs),
      });
    } catch (error) {
      throw new BankUnavailableError(`${serviceName} ${reqData.requestNo}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new BankUnavailableError(`${serviceName} ${reqData.requestNo}: HTTP ${response.status}`);
    try {
      const expected = { messageType: 'RESPONSE', platformNo: this.settings.platformNo, serviceName } as const;
      const result = openSignedResult<S>(await response.json(), this.bankPublicKeyPem, expected);
      if (result.requestNo !== reqData.requestNo) throw new Error(`answer is for ${result.requestNo}`);
      return result;
    } catch (error) {
      this.logger.error({ err: error, serviceName, requestNo: reqData.requestNo }, 'bank answer refused');
      throw new BankUnavailableError(`${serviceName} ${reqData.requestNo}: ${(error as Error).message}`);
    }
  }
}
