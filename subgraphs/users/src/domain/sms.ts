import { randomInt } from 'node:crypto';
import { assert, formatMoney, unreachable, type RetryPolicy } from '@wanxin/platform';
import type { ReminderDuePayload } from '@wanxin/platform/contracts';
import type { SmsParamsOf, SmsTemplate } from '@wanxin/platform/sms-protocol';
import type { AttemptLimit } from './account-rules';

// Text messages (seed 002 "短信微服务"): users holds the mobiles, so it sends every SMS — the repayment
// reminders repayments publishes and the verification codes of registration — through the SMS provider.

export const SMS_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

/**
 * A message the provider did not take is tried again on this curve: 1 s doubling to 5 minutes, for about a
 * day in all (a provider down for hours loses nothing), then FAILED for an operator to look at.
 */
export const SMS_SEND_RETRY: RetryPolicy = {
  attemptsMax: 300,
  firstDelayMs: 1_000,
  delayMaxMs: 5 * 60_000,
  jitter: 0.2,
};

/** A verification code's digits, lifetime and wrong guesses before it is void. */
export const SMS_CODE_DIGITS = 6;
export const SMS_CODE_TTL_MS = 5 * 60_000;
export const SMS_CODE_WRONG_GUESSES_MAX = 5;
/** Codes one mobile is sent at most per hour. */
export const SMS_CODES_PER_MOBILE: AttemptLimit = { attemptsMax: 5, windowMs: 60 * 60_000 };
/** What a sent code's parameters keep: the code itself is no longer needed once the provider has it. */
export const SENT_CODE_PLACEHOLDER = '******';

export function newSmsCode(): string {
  return randomInt(0, 10 ** SMS_CODE_DIGITS)
    .toString()
    .padStart(SMS_CODE_DIGITS, '0');
}

export function isSmsCodeShaped(code: string): boolean {
  return new RegExp(`^[0-9]{${SMS_CODE_DIGITS}}$`).test(code);
}

/** A message ready for the provider: its template and the parameters the template takes. */
export type SmsContent = { [T in SmsTemplate]: { template: T; params: SmsParamsOf<T> } }[SmsTemplate];

export function verificationCodeSms(code: string): SmsContent {
  assert(isSmsCodeShaped(code), 'a verification code is six digits');
  return { template: 'VERIFICATION_CODE', params: { code, minutes: String(SMS_CODE_TTL_MS / 60_000) } };
}

/** The SMS a repayment reminder becomes: what is owed, for which loan, due when (or overdue how long). */
export function reminderSms(reminder: ReminderDuePayload): SmsContent {
  const amount = formatMoney(BigInt(reminder.owedFen));
  const { loanNo, dueDate } = reminder;
  switch (reminder.kind) {
    case 'DUE_SOON_SMS':
      return { template: 'DUE_SOON', params: { loanNo, amount, dueDate } };
    case 'OVERDUE_SMS':
      return { template: 'OVERDUE_DAY_1', params: { loanNo, amount, dueDate } };
    case 'OVERDUE_REMINDER_SMS':
      return { template: 'OVERDUE_REMINDER', params: { loanNo, amount, overdueDays: String(reminder.overdueDays) } };
    default:
      return unreachable(reminder.kind, 'SMS reminder kind');
  }
}
