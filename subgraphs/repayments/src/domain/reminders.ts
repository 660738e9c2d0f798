import { addDays, assert, unreachable } from '@wanxin/platform';

// The collection reminders of domain.md §2 step 11, each created once per installment on the day its
// condition first holds: 2 days before the due date (SMS), overdue days 1 and 2 (SMS; seed 002: "逾期1-3天
// 短信提醒"), day 3 (a phone task for staff), day 30 (the emergency contact).

export const REMINDER_KINDS = [
  'DUE_SOON_SMS',
  'OVERDUE_SMS',
  'OVERDUE_REMINDER_SMS',
  'OVERDUE_PHONE_TASK',
  'EMERGENCY_CONTACT',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export type ReminderChannel = 'SMS' | 'STAFF_TASK' | 'EMERGENCY_CONTACT';

export const DUE_SOON_DAYS_AHEAD = 2;
/** Overdue days from which each collection reminder is due (day 3+ and 30+ in domain.md). */
const OVERDUE_DAYS_FROM: Record<Exclude<ReminderKind, 'DUE_SOON_SMS'>, number> = {
  OVERDUE_SMS: 1,
  OVERDUE_REMINDER_SMS: 2,
  OVERDUE_PHONE_TASK: 3,
  EMERGENCY_CONTACT: 30,
};

export function reminderChannel(kind: ReminderKind): ReminderChannel {
  switch (kind) {
    case 'DUE_SOON_SMS':
    case 'OVERDUE_SMS':
    case 'OVERDUE_REMINDER_SMS':
      return 'SMS';
    case 'OVERDUE_PHONE_TASK':
      return 'STAFF_TASK';
    case 'EMERGENCY_CONTACT':
      return 'EMERGENCY_CONTACT';
    default:
      return unreachable(kind, 'reminder kind');
  }
}

export type SmsReminderKind = 'DUE_SOON_SMS' | 'OVERDUE_SMS' | 'OVERDUE_REMINDER_SMS';

export function isSmsReminder(kind: ReminderKind): kind is SmsReminderKind {
  return reminderChannel(kind) === 'SMS';
}

/** The date the due-soon SMS goes out for an installment due on `dueDate`. */
export function dueSoonReminderDate(dueDate: string): string {
  return addDays(dueDate, -DUE_SOON_DAYS_AHEAD);
}

/**
 * The collection reminders an unpaid installment `overdueDays` past due has earned, whether or not they
 * were created already (the unique key (installment, kind) makes creating them again a no-op).
 */
export function overdueRemindersEarned(overdueDays: number): ReminderKind[] {
  assert(Number.isSafeInteger(overdueDays) && overdueDays >= 0, `overdue days must be ≥ 0, got ${overdueDays}`);
  return (Object.keys(OVERDUE_DAYS_FROM) as (keyof typeof OVERDUE_DAYS_FROM)[]).filter(
    (kind) => overdueDays >= OVERDUE_DAYS_FROM[kind],
  );
}

/** The smallest overdue day count that earns any collection reminder. */
export const FIRST_REMINDER_OVERDUE_DAYS = Math.min(...Object.values(OVERDUE_DAYS_FROM));
