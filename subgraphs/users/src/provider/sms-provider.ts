import type { SmsSendRequest } from '@wanxin/platform/sms-protocol';
import type { ProviderClient } from './provider-client';

/**
 * Where texts go. `send` resolves with the provider's message id once it took the text, and throws
 * ProviderUnavailable (try again later) or ProviderRequestNotAccepted (it never will). Sending the same
 * `messageId` again must not send a second text.
 */
export interface SmsProvider {
  send(request: SmsSendRequest): Promise<string>;
}

/** The SMS provider over the signed provider protocol (the default: infra/simulators/sms). */
export class HttpSmsProvider implements SmsProvider {
  constructor(private readonly client: ProviderClient<SmsSendRequest>) {}

  send(request: SmsSendRequest): Promise<string> {
    return this.client.send(request, request.messageId);
  }
}
