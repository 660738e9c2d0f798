import { openProviderReceipt, ProviderSignatureError, signProviderMessage } from '@wanxin/platform/provider-protocol';
import { IDENTITY_MESSAGE_TYPES, IDENTITY_PATHS } from '@wanxin/platform/identity-protocol';
import { RISK_MESSAGE_TYPES, RISK_PATHS } from '@wanxin/platform/risk-protocol';
import { SMS_MESSAGE_TYPES, SMS_PATHS } from '@wanxin/platform/sms-protocol';
import { retrying, type Logger, type RetryPolicy } from '@wanxin/platform';

/** Where an outside provider is and how the platform speaks to it. */
export interface ProviderConnection {
  /** The provider's base URL (IDENTITY_PROVIDER_URL, RISK_PROVIDER_URL). */
  providerUrl: string;
  /**
   * Where the provider POSTs its answers: this subgraph's notify route (IDENTITY_CALLBACK_URL, RISK_CALLBACK_URL);
   * undefined for a provider whose receipt is the whole answer (SMS).
   */
  callbackUrl?: string;
  timeoutMs: number;
}

/** What one provider's requests are: the message types, the path, and how a failed send is retried. */
export interface ProviderEndpoint {
  name: string;
  requestType: string;
  receiptType: string;
  path: string;
  sendRetry: RetryPolicy;
}

function endpoint(
  name: string,
  types: { request: string; receipt: string },
  path: string,
  sendRetry: RetryPolicy,
): ProviderEndpoint {
  return { name, requestType: types.request, receiptType: types.receipt, path, sendRetry };
}

/** For requests sent by a job whose next pass is the retry. */
const ONE_TRY: RetryPolicy = { attemptsMax: 1, firstDelayMs: 0, delayMaxMs: 0, jitter: 0 };

/** A failed identity send while the user waits for the mutation: 3 tries within about a second. */
export const IDENTITY_ENDPOINT = endpoint('identity', IDENTITY_MESSAGE_TYPES, IDENTITY_PATHS.verifications, {
  attemptsMax: 3,
  firstDelayMs: 200,
  delayMaxMs: 800,
  jitter: 0.5,
});
/** Risk requests are sent by a job whose re-asks are the retries (domain RISK_REASK_POLICY). */
export const RISK_ENDPOINT = endpoint('risk', RISK_MESSAGE_TYPES, RISK_PATHS.assessments, ONE_TRY);
/** Texts are sent by a job whose backoff is the retry (domain/sms.ts SMS_SEND_RETRY). */
export const SMS_ENDPOINT = endpoint('sms', SMS_MESSAGE_TYPES, SMS_PATHS.messages, ONE_TRY);

/** A request the provider did not accept: refused (its receipt's code) or never answered. */
export class ProviderRequestNotAccepted extends Error {
  override name = 'ProviderRequestNotAccepted';
}

// Worth asking again: the provider was down or busy; a refusal of the request itself will not change.
const RETRYABLE_CODES = new Set(['UNAVAILABLE', 'SYSTEM_ERROR']);

/** Not accepted for now (the provider was down, busy or unreachable): the same request may be sent again. */
export class ProviderUnavailable extends ProviderRequestNotAccepted {}

/** Signs requests with the platform's key and opens the provider's receipts with the provider's key. */
export class ProviderClient<TRequest extends object> {
  constructor(
    private readonly endpoint: ProviderEndpoint,
    private readonly connection: ProviderConnection,
    private readonly platformPrivateKeyPem: string,
    readonly providerPublicKeyPem: string,
    private readonly logger: Logger,
  ) {}

  /**
   * How long a request may go without the provider's reference before it is taken as never sent (the process
   * stopped between recording it and sending it): twice the longest a send with all its retries can take.
   */
  get unsentAfterMs(): number {
    const { attemptsMax, delayMaxMs } = this.endpoint.sendRetry;
    return 2 * attemptsMax * (this.connection.timeoutMs + delayMaxMs);
  }

  /** Sends one request (a new signed message per try, same request id) and returns the provider's reference. */
  async send(request: Omit<TRequest, 'callbackUrl'>, requestId: string): Promise<string> {
    const { callbackUrl } = this.connection;
    const data = (callbackUrl === undefined ? request : { ...request, callbackUrl }) as TRequest;
    return retrying(this.endpoint.sendRetry, () => this.sendOnce(data), {
      retryable: (error) => error instanceof ProviderUnavailable,
      onFailure: (error, attempt, willRetry) =>
        this.logger.warn(
          { provider: this.endpoint.name, requestId, attempt, willRetry, reason: String(error) },
          'provider request failed',
        ),
    });
  }

  private async sendOnce(data: TRequest): Promise<string> {
    const { name, requestType, receiptType, path } = this.endpoint;
    const envelope = signProviderMessage(requestType, data, this.platformPrivateKeyPem);
    let body: unknown;
    try {
      const response = await fetch(`${this.connection.providerUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(this.connection.timeoutMs),
      });
      body = await response.json();
    } catch (error) {
      throw new ProviderUnavailable(`the ${name} provider did not answer: ${String(error)}`);
    }
    let receipt;
    try {
      receipt = openProviderReceipt(body, receiptType, this.providerPublicKeyPem);
    } catch (error) {
      if (error instanceof ProviderSignatureError) throw new ProviderRequestNotAccepted(error.message);
      throw error;
    }
    if (receipt.code === 'ACCEPTED' && receipt.reference !== null) return receipt.reference;
    const message = `the ${name} provider refused the request: ${receipt.code} ${receipt.message}`;
    throw RETRYABLE_CODES.has(receipt.code)
      ? new ProviderUnavailable(message)
      : new ProviderRequestNotAccepted(message);
  }
}
