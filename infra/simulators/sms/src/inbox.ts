import { forkEntityManager, isOpsRequestAllowed, refuseOpsRequest } from '@wanxin/platform';
import { SMS_MOBILE_PATTERN, SMS_PATHS, type SmsTemplate } from '@wanxin/platform/sms-protocol';
import { sendJson, type ProviderRoute } from '@wanxin/simulator-kit';
import { SmsReceived } from './received.entity';

export const INBOX_LIMIT_DEFAULT = 20;
export const INBOX_LIMIT_MAX = 100;

/** One text as the phone shows it. */
export interface SmsInboxEntry {
  providerMessageId: string;
  messageId: string;
  template: SmsTemplate;
  params: Record<string, string>;
  text: string;
  /** ISO 8601 instant. */
  receivedAt: string;
}

function entryOf(received: SmsReceived): SmsInboxEntry {
  return {
    providerMessageId: received.providerMessageId,
    messageId: received.messageId,
    template: received.template as SmsTemplate,
    params: JSON.parse(received.params) as Record<string, string>,
    text: received.text,
    receivedAt: received.receivedAt.toISOString(),
  };
}

/** `limit` as given (a whole number from 1 to INBOX_LIMIT_MAX), the default when absent, null when malformed. */
function parseLimit(text: string | null): number | null {
  if (text === null) return INBOX_LIMIT_DEFAULT;
  if (!/^[1-9][0-9]{0,2}$/.test(text)) return null;
  const limit = Number(text);
  return limit <= INBOX_LIMIT_MAX ? limit : null;
}

/**
 * Operations only: GET `?mobile=…&limit=N` lists the texts that phone received, newest first, as tests
 * (and developers running `npm start`) read a verification code the way a user reads their phone. It
 * answers during an outage too: the phone is not the provider.
 */
export function inboxRoute(): ProviderRoute {
  return {
    method: 'GET',
    path: SMS_PATHS.inbox,
    async handle(context, request, response) {
      if (!isOpsRequestAllowed(request, context.config.platform)) return refuseOpsRequest(response);
      const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
      const mobile = query.get('mobile');
      const limit = parseLimit(query.get('limit'));
      if (mobile === null || !SMS_MOBILE_PATTERN.test(mobile)) {
        return sendJson(response, 400, { error: 'mobile must be 11 digits: 1, then 3 to 9, then 9 more' });
      }
      if (limit === null) {
        return sendJson(response, 400, { error: `limit must be a whole number from 1 to ${INBOX_LIMIT_MAX}` });
      }
      const received = await forkEntityManager(context.orm).find(
        SmsReceived,
        { mobile },
        { orderBy: { receivedAt: 'desc', providerMessageId: 'desc' }, limit },
      );
      sendJson(response, 200, received.map(entryOf));
    },
  };
}
