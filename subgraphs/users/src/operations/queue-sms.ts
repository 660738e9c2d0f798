import type { EntityManager } from '@wanxin/platform';
import type { SmsContent } from '../domain/sms';
import { SmsMessage } from '../entities/sms-message.entity';

export interface NewSms {
  sourceKey: string;
  userId: string | null;
  mobile: string;
  content: SmsContent;
}

/** Writes a text to the SMS outbox in `em`'s transaction; the SMS job sends it once that commits. */
export function queueSms(em: EntityManager, sms: NewSms, now: Date): SmsMessage {
  return em.create(SmsMessage, {
    sourceKey: sms.sourceKey,
    userId: sms.userId,
    mobile: sms.mobile,
    template: sms.content.template,
    params: JSON.stringify(sms.content.params),
    status: 'PENDING',
    nextAttemptAt: now,
    createdAt: now,
  });
}
