import {
  IDENTITY_MESSAGE_TYPES,
  IDENTITY_PATHS,
  openProviderReceipt,
  ProviderSignatureError,
  signProviderMessage,
  type IdentityVerificationRequest,
} from '@wanxin/platform/identity-protocol';
import { retrying, type Logger, type RetryPolicy } from '@wanxin/platform';

/** Where the identity provider is and how the platform speaks to it. */
export interface IdentityConnection {
  /** The provider's base URL (IDENTITY_PROVIDER_URL). */
  providerUrl: string;
  /** Where the provider POSTs its results: this subgraph's `/identity/notify` (IDENTITY_CALLBACK_URL). */
  callbackUrl: string;
  timeoutMs: number;
}

/** A request the provider did not accept: refused (its receipt's code) or never answered. */
export class IdentityRequestNotAccepted extends Error {
  override name = 'IdentityRequestNotAccepted';
}

/** A failed send while the user waits for the mutation: 3 tries within about a second. */
export const IDENTITY_SEND_RETRY: RetryPolicy = { attemptsMax: 3, firstDelayMs: 200, delayMaxMs: 800, jitter: 0.5 };

// Worth asking again: the provider was down or busy; a refusal of the request itself will not change.
const RETRYABLE_CODES = new Set(['UNAVAILABLE', 'SYSTEM_ERROR']);

class RetryableSendError extends IdentityRequestNotAccepted {}

/** Signs requests with the platform's key and opens the provider's receipts with the provider's key. */
export class IdentityClient {
  constructor(
    private readonly connection: IdentityConnection,
    private readonly platformPrivateKeyPem: string,
    readonly providerPublicKeyPem: string,
    private readonly logger: Logger,
  ) {}

  /**
   * How long a check may go without the provider's reference before it is taken as never sent (the process
   * stopped between recording it and sending it): twice the longest a send with all its retries can take.
   */
  get unsentAfterMs(): number {
    const { attemptsMax, delayMaxMs } = IDENTITY_SEND_RETRY;
    return 2 * attemptsMax * (this.connection.timeoutMs + delayMaxMs);
  }

  /** Sends one verification (a new signed message per try, same requestId) and returns the provider's reference. */
  async send(request: Omit<IdentityVerificationRequest, 'callbackUrl'>): Promise<string> {
    const data: IdentityVerificationRequest = { ...request, callbackUrl: this.connection.callbackUrl };
    return retrying(IDENTITY_SEND_RETRY, () => this.sendOnce(data), {
      retryable: (error) => error instanceof RetryableSendError,
      onFailure: (error, attempt, willRetry) =>
        this.logger.warn({ requestId: request.requestId, attempt, willRetry, err: error }, 'identity request failed'),
    });
  }

  private async sendOnce(data: IdentityVerificationRequest): Promise<string> {
    const envelope = signProviderMessage(IDENTITY_MESSAGE_TYPES.request, data, this.platformPrivateKeyPem);
    let body: unknown;
    try {
      const response = await fetch(`${this.connection.providerUrl}${IDENTITY_PATHS.verifications}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(this.connection.timeoutMs),
      });
      body = await response.json();
    } catch (error) {
      throw new RetryableSendError(`the identity provider did not answer: ${String(error)}`);
    }
    let receipt;
    try {
      receipt = openProviderReceipt(body, IDENTITY_MESSAGE_TYPES.receipt, this.providerPublicKeyPem);
    } catch (error) {
      if (error instanceof ProviderSignatureError) throw new IdentityRequestNotAccepted(error.message);
      throw error;
    }
    if (receipt.code === 'ACCEPTED' && receipt.reference !== null) return receipt.reference;
    const message = `the identity provider refused the request: ${receipt.code} ${receipt.message}`;
    throw RETRYABLE_CODES.has(receipt.code) ? new RetryableSendError(message) : new IdentityRequestNotAccepted(message);
  }
}
