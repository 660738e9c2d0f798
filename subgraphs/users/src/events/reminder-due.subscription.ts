import { subscribeTo } from '@wanxin/platform';
import { ReminderDue } from '@wanxin/platform/contracts';
import { reminderSms } from '../domain/sms';
import { SmsMessage } from '../entities/sms-message.entity';
import { User } from '../entities/user.entity';
import { queueSms } from '../operations/queue-sms';
import type { UsersServices } from '../services';

/**
 * `repayments.reminder.due` → a text to the borrower's mobile in the SMS outbox, once per reminder (by the
 * inbox, and by the text's unique source key); the SMS job is woken after the commit.
 */
export const smsQueuedOnReminderDue = (services: Pick<UsersServices, 'smsSender'>) =>
  subscribeTo(
    ReminderDue,
    'sms-queued-on-reminder-due',
    async (em, payload) => {
      const sourceKey = `reminder:${payload.reminderId}`;
      if ((await em.count(SmsMessage, { sourceKey })) > 0) return;
      const user = await em.findOneOrFail(User, { id: payload.borrowerId }, { fields: ['id', 'mobile'] });
      queueSms(em, { sourceKey, userId: user.id, mobile: user.mobile, content: reminderSms(payload) }, new Date());
    },
    () => services.smsSender.wake(),
  );
