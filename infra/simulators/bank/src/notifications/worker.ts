import { assert, DeliveryWorker, postDelivery, type Database, type DatabaseKind, type Logger } from '@wanxin/platform';
import { NOTIFICATION_RETRY_DELAYS_MS, notificationRetryDelayMs } from '../domain/notification-schedule';
import { OutgoingNotification } from '../entities/outgoing-notification.entity';
import { NOTIFICATION_ACKNOWLEDGEMENT } from '@wanxin/platform/bank-protocol';

export interface NotificationWorkerOptions {
  notifyUrl: string;
  /** BANK_NOTIFY_SCHEDULE_SCALE. */
  scheduleScale: number;
  databaseKind: DatabaseKind;
}

/** Poll at the schedule's shortest delay (15 s × scale), within 10 ms and 1 s. */
export function pollIntervalMs(scheduleScale: number): number {
  return Math.min(1000, Math.max(10, Math.round(NOTIFICATION_RETRY_DELAYS_MS[0] * scheduleScale)));
}

/**
 * Delivers the bank's signed notifications to the agent (the platform's DeliveryWorker): each stored
 * body is posted as JSON and DELIVERED only when the agent answers exactly OK; a failure waits the next
 * delay of the schedule (domain/notification-schedule.ts), after the last one the row is GAVE_UP and
 * logged. Delivery is at least once: the agent must treat a repeated notification (same requestNo) as
 * already handled.
 */
export class NotificationWorker extends DeliveryWorker<OutgoingNotification> {
  constructor(orm: Database, options: NotificationWorkerOptions, logger: Logger) {
    assert(options.scheduleScale > 0, 'the notification schedule scale must be positive');
    super(
      orm,
      {
        entity: OutgoingNotification,
        noun: 'notification',
        describe: (row) => ({ requestNo: row.requestNo }),
        deliver: (row, signal) =>
          postDelivery(
            options.notifyUrl,
            row.body,
            signal,
            (status, answer) => status >= 200 && status < 300 && answer.trim() === NOTIFICATION_ACKNOWLEDGEMENT,
          ),
        retryDelayMs: (attemptsMade) => notificationRetryDelayMs(attemptsMade, options.scheduleScale),
        pollMs: pollIntervalMs(options.scheduleScale),
        databaseKind: options.databaseKind,
      },
      logger,
    );
  }
}
