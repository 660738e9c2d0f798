// Starts the SMS provider in-process on a free port for tests (its own database under the test's
// prefix), the platform's side of its tests (signed requests) and the phone's (the inbox).
import { loadConfig, type DatabaseKind } from '@wanxin/platform';
import { SMS_MESSAGE_TYPES, SMS_PATHS, type SmsSendRequest } from '@wanxin/platform/sms-protocol';
import { startProviderHarness, type ProviderHarness } from '@wanxin/simulator-kit/testing';
import type { SmsInboxEntry } from './inbox';
import { readSmsConfig } from './config';
import { startSmsProvider, type SmsProvider } from './sms';

export { PlatformSide, switchOutage, type ProviderHarness } from '@wanxin/simulator-kit/testing';

/** The operations token the harness starts the provider with: the inbox and the outage switch need it. */
export const SMS_TEST_OPS_TOKEN = 'sms-test-ops-token-0123456789abcdef';

/** The SMS provider on a free port with `env` (a test environment's, at least). */
export function startSmsForTests(env: Record<string, string>): Promise<SmsProvider> {
  return startSmsProvider(loadConfig({ ...env, PORT: '0' }, readSmsConfig));
}

let sequence = 0;

/** A new mobile number for each call in this process: a phone of the test's own. */
export function newMobile(): string {
  sequence += 1;
  return `139${String((Date.now() * 100 + sequence) % 100_000_000).padStart(8, '0')}`;
}

/** A verification code to a new phone (a new messageId), unless `overrides` change that. */
export function smsRequest(overrides: Partial<SmsSendRequest> = {}): SmsSendRequest {
  sequence += 1;
  return {
    messageId: `MSG${Date.now().toString(36)}${sequence}`,
    mobile: newMobile(),
    template: 'VERIFICATION_CODE',
    params: { code: '123456', minutes: '5' },
    ...overrides,
  } as SmsSendRequest;
}

/**
 * The texts `mobile` received, newest first (at most `limit`, the provider's default when not given),
 * read from the provider at `url` with the operations token. Throws on any answer but 200.
 */
export async function readInbox(
  url: string,
  mobile: string,
  opsToken?: string,
  limit?: number,
): Promise<SmsInboxEntry[]> {
  const query = new URLSearchParams({ mobile, ...(limit === undefined ? {} : { limit: String(limit) }) });
  const response = await fetch(`${url}${SMS_PATHS.inbox}?${query.toString()}`, {
    headers: opsToken === undefined ? {} : { authorization: `Bearer ${opsToken}` },
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`the SMS inbox of ${mobile} answered ${response.status}: ${body}`);
  return JSON.parse(body) as SmsInboxEntry[];
}

export type SmsHarness = ProviderHarness<SmsProvider, SmsSendRequest, never>;

/** The SMS provider on a private database of `kind`, its operations routes behind SMS_TEST_OPS_TOKEN. */
export function startSmsHarness(kind: DatabaseKind): Promise<SmsHarness> {
  return startProviderHarness(kind, {
    start: (env) => startSmsForTests({ ...env, METRICS_TOKEN: SMS_TEST_OPS_TOKEN }),
    path: SMS_PATHS.messages,
    requestType: SMS_MESSAGE_TYPES.request,
    receiptType: SMS_MESSAGE_TYPES.receipt,
  });
}
