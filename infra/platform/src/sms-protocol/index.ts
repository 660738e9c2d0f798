import { assert } from '../assert';
import type { Parsed } from '../provider-protocol';

/**
 * The SMS provider's wire protocol, shared by the platform and the SMS simulator (`infra/simulators/sms`).
 * The platform POSTs a signed SMS_SEND_REQUEST envelope (provider-protocol) to SMS_PATHS.messages; the
 * provider answers at once with a signed SMS_SEND_RECEIPT: 202 ACCEPTED with `reference` = the provider's
 * message id, or 503 UNAVAILABLE while it is down. There is no callback: the receipt is the whole answer.
 * `messageId` is the idempotency key: the same messageId sent again (in a new message) is not sent to the
 * phone again and gets the same reference.
 */
export * from '../provider-protocol';

export const SMS_MESSAGE_TYPES = {
  request: 'SMS_SEND_REQUEST',
  receipt: 'SMS_SEND_RECEIPT',
} as const;

export const SMS_PATHS = {
  /** POST an SMS_SEND_REQUEST envelope as JSON. */
  messages: '/messages',
  /** Operations (METRICS_TOKEN): POST `{"downForMs": n}` takes the provider down for n ms; 0 brings it back. */
  outage: '/admin/outage',
  /** Operations (METRICS_TOKEN): GET `?mobile=…&limit=N`, what that phone received, newest first. */
  inbox: '/admin/messages',
} as const;

export const SMS_MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A mainland China mobile number: 11 digits, 1 then 3 to 9. */
export const SMS_MOBILE_PATTERN = /^1[3-9][0-9]{9}$/;
export const SMS_PARAM_LENGTH_MAX = 64;

export const SMS_TEMPLATES = ['DUE_SOON', 'OVERDUE_DAY_1', 'OVERDUE_REMINDER', 'VERIFICATION_CODE'] as const;
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];

/** The params each template takes: exactly these, no more. */
export const SMS_TEMPLATE_PARAMS = {
  DUE_SOON: ['loanNo', 'amount', 'dueDate'],
  OVERDUE_DAY_1: ['loanNo', 'amount', 'dueDate'],
  OVERDUE_REMINDER: ['loanNo', 'amount', 'overdueDays'],
  VERIFICATION_CODE: ['code', 'minutes'],
} as const satisfies Record<SmsTemplate, readonly string[]>;

export type SmsParamName = (typeof SMS_TEMPLATE_PARAMS)[SmsTemplate][number];

/** The params of template T (distributes over a union of templates). */
export type SmsParamsOf<T extends SmsTemplate> = T extends SmsTemplate
  ? { [Name in (typeof SMS_TEMPLATE_PARAMS)[T][number]]: string }
  : never;

/** What each param's text must look like (all are at most SMS_PARAM_LENGTH_MAX characters). */
export const SMS_PARAM_FORMATS: Record<SmsParamName, { pattern: RegExp; description: string }> = {
  loanNo: { pattern: /^[A-Za-z0-9_-]{1,32}$/, description: 'a loan number: 1 to 32 letters, digits, _ or -' },
  amount: { pattern: /^(0|[1-9][0-9]{0,9})\.[0-9]{2}$/, description: 'yuan with two decimals, like 1234.56' },
  dueDate: { pattern: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, description: 'a date YYYY-MM-DD' },
  overdueDays: { pattern: /^[1-9][0-9]{0,4}$/, description: 'whole days from 1, like 3' },
  code: { pattern: /^[0-9]{6}$/, description: 'six digits' },
  minutes: { pattern: /^[1-9][0-9]{0,2}$/, description: 'whole minutes from 1 to 999' },
};

/** One text to one phone; a union over the templates, so each template's params are checked. */
export type SmsSendRequest = {
  [T in SmsTemplate]: {
    /** The platform's id of this text, 1 to 64 of [A-Za-z0-9_-]: sent again, it is not sent twice. */
    messageId: string;
    mobile: string;
    template: T;
    params: SmsParamsOf<T>;
  };
}[SmsTemplate];

/** The text the phone shows for `template` with `params` (every param the template takes must be given). */
export function renderSms<T extends SmsTemplate>(template: T, params: SmsParamsOf<T>): string {
  const values: Readonly<Record<string, string | undefined>> = params;
  for (const name of SMS_TEMPLATE_PARAMS[template] as readonly string[]) {
    assert(typeof values[name] === 'string', `${template} needs the param ${name}`);
  }
  const { loanNo, amount, dueDate, overdueDays, code, minutes } = values;
  const kind: SmsTemplate = template;
  switch (kind) {
    case 'DUE_SOON':
      return `【万信】您的借款${loanNo}本期应还${amount}元，将于${dueDate}到期，请按时还款。`;
    case 'OVERDUE_DAY_1':
      return `【万信】您的借款${loanNo}本期应还${amount}元已于${dueDate}到期，现已逾期1天，请尽快还款以免产生罚息。`;
    case 'OVERDUE_REMINDER':
      return `【万信】您的借款${loanNo}已逾期${overdueDays}天，应还${amount}元（含罚息），请立即还款。`;
    case 'VERIFICATION_CODE':
      return `【万信】您的验证码是${code}，${minutes}分钟内有效。`;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown SMS template ${String(unreachable)}`);
    }
  }
}

function isSmsTemplate(value: unknown): value is SmsTemplate {
  return (SMS_TEMPLATES as readonly unknown[]).includes(value);
}

/** What is wrong with `params` for `template`, or null when they are exactly its params, each well formed. */
function paramsProblem(template: SmsTemplate, params: unknown): string | null {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return 'params must be an object of text values';
  }
  const names: readonly SmsParamName[] = SMS_TEMPLATE_PARAMS[template];
  const given = params as Record<string, unknown>;
  const extra = Object.keys(given).find((name) => !(names as readonly string[]).includes(name));
  if (extra !== undefined) return `${template} takes only the params ${names.join(', ')}, not ${extra}`;
  for (const name of names) {
    const value = given[name];
    if (typeof value !== 'string') return `${template} needs params.${name} as text`;
    if (value.length > SMS_PARAM_LENGTH_MAX) {
      return `params.${name} must be at most ${SMS_PARAM_LENGTH_MAX} characters`;
    }
    const format = SMS_PARAM_FORMATS[name];
    if (!format.pattern.test(value)) return `params.${name} must be ${format.description}`;
  }
  return null;
}

/** The request's data as the protocol requires it (the provider answers BAD_REQUEST otherwise). */
export function parseSmsSendRequest(data: Record<string, unknown>): Parsed<SmsSendRequest> {
  const { messageId, mobile, template, params } = data;
  if (typeof messageId !== 'string' || !SMS_MESSAGE_ID_PATTERN.test(messageId)) {
    return { ok: false, message: 'messageId must be 1 to 64 letters, digits, _ or -' };
  }
  if (typeof mobile !== 'string' || !SMS_MOBILE_PATTERN.test(mobile)) {
    return { ok: false, message: 'mobile must be 11 digits: 1, then 3 to 9, then 9 more' };
  }
  if (!isSmsTemplate(template)) return { ok: false, message: `template must be one of ${SMS_TEMPLATES.join(', ')}` };
  const problem = paramsProblem(template, params);
  if (problem !== null) return { ok: false, message: problem };
  const value = { messageId, mobile, template, params } as SmsSendRequest;
  return { ok: true, value };
}
