import { randomBytes } from 'node:crypto';
import { forkEntityManager } from '@wanxin/platform';
import {
  parseSmsSendRequest,
  renderSms,
  SMS_MESSAGE_TYPES,
  SMS_PATHS,
  type SmsSendRequest,
} from '@wanxin/platform/sms-protocol';
import {
  recordOnce,
  signedRequestRoute,
  startSwitchableProvider,
  type ProviderContext,
  type SwitchableProvider,
  type SwitchableProviderConfig,
} from '@wanxin/simulator-kit';
import { SMS } from './config';
import { smsDatabase } from './database';
import { inboxRoute } from './inbox';
import { SmsReceived } from './received.entity';

/** A running SMS provider, with the outage switch its /admin/outage route also sets. */
export interface SmsProvider extends SwitchableProvider {
  /** How many texts were accepted (each messageId once), for tests and operators. */
  receivedCount(): Promise<number>;
}

/**
 * Each acceptance gets an instant later than the one before (at worst 1 ms ahead of the clock), so that
 * the inbox's newest-first order is the order of acceptance even for texts accepted in one millisecond.
 */
function acceptanceClock(): (now: Date) => Date {
  let lastMs = 0;
  return (now) => {
    lastMs = Math.max(now.getTime(), lastMs + 1);
    return new Date(lastMs);
  };
}

/** Records the text once by messageId; sent again (or by a twin at the same moment), the recorded reference. */
function acceptMessage(
  context: ProviderContext,
  request: SmsSendRequest,
  receivedAtOf: (now: Date) => Date,
): Promise<string> {
  return recordOnce(
    context,
    async (em) => (await em.findOne(SmsReceived, { messageId: request.messageId }))?.providerMessageId ?? null,
    (now) => {
      const received: SmsReceived = {
        providerMessageId: `SMS${randomBytes(12).toString('hex')}`,
        messageId: request.messageId,
        mobile: request.mobile,
        template: request.template,
        params: JSON.stringify(request.params),
        text: renderSms(request.template, request.params),
        receivedAt: receivedAtOf(now),
      };
      return {
        reference: received.providerMessageId,
        record: (tx) => tx.create(SmsReceived, received),
      };
    },
  );
}

/** Opens (and migrates) `<prefix>_sms`, serves POST /messages, POST /admin/outage and GET /admin/messages. */
export async function startSmsProvider(config: SwitchableProviderConfig): Promise<SmsProvider> {
  const receivedAtOf = acceptanceClock();
  const messages = signedRequestRoute(SMS_PATHS.messages, {
    requestType: SMS_MESSAGE_TYPES.request,
    receiptType: SMS_MESSAGE_TYPES.receipt,
    parse: parseSmsSendRequest,
    accept: (context, request) => acceptMessage(context, request, receivedAtOf),
  });
  const provider = await startSwitchableProvider(
    {
      identity: SMS,
      database: smsDatabase,
      receiptType: SMS_MESSAGE_TYPES.receipt,
      requestRoutes: [messages],
      outagePath: SMS_PATHS.outage,
      routes: [inboxRoute()],
    },
    config,
  );
  return { ...provider, receivedCount: () => forkEntityManager(provider.orm).count(SmsReceived) };
}
