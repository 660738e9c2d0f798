import {
  forkEntityManager,
  mapBounded,
  retryDelayMs,
  startPassLoop,
  type BackgroundWork,
  type EntityManager,
  type SubgraphRuntime,
} from '@wanxin/platform';
import type { SmsSendRequest } from '@wanxin/platform/sms-protocol';
import { SENT_CODE_PLACEHOLDER } from '../domain/sms';
import { SmsMessage } from '../entities/sms-message.entity';
import { ProviderUnavailable } from '../provider/provider-client';
import type { UsersServices, UsersSettings } from '../services';

/** Texts one pass sends at most; a full pass is followed by another at once. */
export const SMS_PER_PASS_MAX = 200;
/** Texts in flight at once. */
const SMS_SENDS_IN_FLIGHT_MAX = 16;
const ERROR_LENGTH_MAX = 500;

export interface SmsPass {
  sent: number;
  retrying: number;
  failed: number;
  full: boolean;
}

/**
 * Claims a due text (conditional on the attempts it read, so two replicas never send it at once) and
 * leases it for `leaseMs`: a process that dies mid-send leaves it to be sent again after the lease, and
 * the provider, keyed by the text's id, does not send it twice.
 */
async function claim(em: EntityManager, sms: SmsMessage, now: Date, leaseMs: number): Promise<boolean> {
  const claimed = await em.nativeUpdate(
    SmsMessage,
    { id: sms.id, status: 'PENDING', attempts: sms.attempts },
    { attempts: sms.attempts + 1, nextAttemptAt: new Date(now.getTime() + leaseMs) },
  );
  return claimed === 1;
}

function requestOf(sms: SmsMessage): SmsSendRequest {
  return {
    messageId: sms.id,
    mobile: sms.mobile,
    template: sms.template,
    params: JSON.parse(sms.params),
  } as SmsSendRequest;
}

/** What stays of the parameters once sent: a verification code is nobody's business after it left. */
function paramsAfterSending(sms: SmsMessage): string {
  if (sms.template !== 'VERIFICATION_CODE') return sms.params;
  return JSON.stringify({ ...(JSON.parse(sms.params) as object), code: SENT_CODE_PLACEHOLDER });
}

/**
 * Sends every due PENDING text. One the provider cannot take now is tried again on the retry curve (SMS_SEND_RETRY)
 * (nothing is lost while it is down); one it refuses, or that used every attempt, is FAILED.
 */
export async function sendDueSms(services: UsersServices, em: EntityManager, now = new Date()): Promise<SmsPass> {
  const due = await em.find(
    SmsMessage,
    { status: 'PENDING', nextAttemptAt: { $lte: now } },
    { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: SMS_PER_PASS_MAX },
  );
  const pass: SmsPass = { sent: 0, retrying: 0, failed: 0, full: due.length === SMS_PER_PASS_MAX };
  await mapBounded(due, SMS_SENDS_IN_FLIGHT_MAX, async (sms) => {
    const fork = em.fork();
    if (!(await claim(fork, sms, now, services.smsSendLeaseMs))) return;
    const attempts = sms.attempts + 1;
    try {
      const providerMessageId = await services.sms.send(requestOf(sms));
      await fork.nativeUpdate(
        SmsMessage,
        { id: sms.id, status: 'PENDING' },
        { status: 'SENT', providerMessageId, sentAt: new Date(), lastError: null, params: paramsAfterSending(sms) },
      );
      pass.sent += 1;
    } catch (error) {
      const again = error instanceof ProviderUnavailable && attempts < services.smsRetry.attemptsMax;
      const nextAttemptAt = new Date(Date.now() + (again ? retryDelayMs(services.smsRetry, attempts) : 0));
      await fork.nativeUpdate(
        SmsMessage,
        { id: sms.id, status: 'PENDING' },
        { status: again ? 'PENDING' : 'FAILED', nextAttemptAt, lastError: String(error).slice(0, ERROR_LENGTH_MAX) },
      );
      if (again) pass.retrying += 1;
      else pass.failed += 1;
    }
  });
  return pass;
}

/** The SMS job every SMS_SEND_INTERVAL_MS, woken at once by every commit that queued a text. */
export function startSmsSender(services: UsersServices, runtime: SubgraphRuntime<UsersSettings>): BackgroundWork {
  const { logger } = runtime;
  const loop = startPassLoop(
    async () => {
      const pass = await sendDueSms(services, forkEntityManager(runtime.orm));
      if (pass.sent + pass.retrying + pass.failed > 0) logger.info(pass, 'SMS sent');
      return pass.full;
    },
    services.smsSendIntervalMs,
    (error) => logger.error({ err: error }, 'SMS pass failed'),
  );
  services.smsSender = loop;
  return loop;
}
