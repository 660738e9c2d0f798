import type { Logger } from '@wanxin/platform';
import type { Reminder } from '../entities/reminder.entity';

/**
 * Where reminders go: an SMS gateway, the staff's task queue, a call centre. Sending may fail; the
 * reminder then stays unsent and the next run sends it again, so a provider must tolerate a repeat
 * (each reminder's `id` is its idempotency key).
 */
export interface ReminderProvider {
  send(reminder: Reminder): Promise<void>;
}

/** The default provider: writes each reminder to the log (no SMS gateway is configured). */
export class LoggingReminderProvider implements ReminderProvider {
  constructor(private readonly logger: Logger) {}

  async send(reminder: Reminder): Promise<void> {
    this.logger.info(
      {
        reminderId: reminder.id,
        kind: reminder.kind,
        channel: reminder.channel,
        loanId: reminder.loanId,
        installmentId: reminder.installmentId,
        borrowerId: reminder.borrowerId,
      },
      'reminder sent',
    );
  }
}
