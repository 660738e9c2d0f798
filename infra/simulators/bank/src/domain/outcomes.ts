import { assert } from '@wanxin/platform';
import { BANK_CODES, type BankCode, type Posting } from '@wanxin/platform/bank-protocol';

/**
 * What a bank service answers: a return code, a message and, on success, the service's fields. Every
 * refusal the bank gives is built here, so each code is used for one kind of problem only.
 */
export interface Outcome {
  code: BankCode;
  message: string;
  fields: Record<string, unknown>;
}

export function succeeded(fields: Record<string, unknown>, message = 'success'): Outcome {
  return { code: BANK_CODES.SUCCESS, message, fields };
}

/** A success answer with the postings its request made on users' accounts (domain/postings.ts). */
export function withPostings(outcome: Outcome, postings: readonly Posting[]): Outcome {
  assert(outcome.code === BANK_CODES.SUCCESS, 'only a success has postings');
  return { ...outcome, fields: { ...outcome.fields, postings } };
}

export function isSuccess(outcome: Outcome): boolean {
  return outcome.code === BANK_CODES.SUCCESS;
}

function refusal(code: Exclude<BankCode, '00000'>, message: string): Outcome {
  return { code, message, fields: {} };
}

export const BankRefusals = {
  systemError: (reason: string) => refusal(BANK_CODES.SYSTEM_ERROR, `system error: ${reason}`),
  badParameter: (field: string, reason: string) =>
    refusal(BANK_CODES.BAD_PARAMETERS, `bad parameter ${field}: ${reason}`),
  badRequest: (reason: string) => refusal(BANK_CODES.BAD_PARAMETERS, `bad request: ${reason}`),
  requestNoReused: (requestNo: string) =>
    refusal(BANK_CODES.BAD_PARAMETERS, `requestNo ${requestNo} reused with a different body`),
  notAPageService: (serviceName: string) =>
    refusal(BANK_CODES.BAD_PARAMETERS, `${serviceName} is completed on the bank's page (POST /gateway)`),
  onlyAPageService: (serviceName: string) =>
    refusal(BANK_CODES.BAD_PARAMETERS, `${serviceName} is a direct service (POST /service)`),
  badSignature: (reason: string) => refusal(BANK_CODES.BAD_SIGNATURE, `bad signature: ${reason}`),
  unknownPlatform: (platformNo: string) =>
    refusal(BANK_CODES.BAD_SIGNATURE, `platform ${platformNo} is not registered at this bank`),
  userNotFound: (userNo: string) => refusal(BANK_CODES.NOT_FOUND, `user ${userNo} has no account at this bank`),
  userAlreadyRegistered: (userNo: string) =>
    refusal(BANK_CODES.BAD_PARAMETERS, `user ${userNo} already has an account at this bank`),
  projectNotFound: (projectNo: string) => refusal(BANK_CODES.NOT_FOUND, `project ${projectNo} not found`),
  projectAlreadyExists: (projectNo: string) =>
    refusal(BANK_CODES.BAD_PARAMETERS, `project ${projectNo} already exists`),
  projectStatusRefuses: (projectNo: string, status: string, what: string) =>
    refusal(BANK_CODES.BAD_PARAMETERS, `project ${projectNo} is ${status}: ${what}`),
  freezeNotFound: (preRequestNo: string) =>
    refusal(BANK_CODES.NOT_FOUND, `no freeze was made by request ${preRequestNo}`),
  freezeAlreadySettled: (preRequestNo: string) =>
    refusal(BANK_CODES.NOT_FOUND, `the freeze of request ${preRequestNo} is already settled or released`),
  freezeOfOtherKind: (preRequestNo: string, bizType: string) =>
    refusal(BANK_CODES.BAD_PARAMETERS, `the freeze of request ${preRequestNo} is a ${bizType} freeze`),
  nothingToConfirm: (projectNo: string) =>
    refusal(BANK_CODES.NOT_FOUND, `project ${projectNo} has no open TENDER freeze to confirm`),
  pageRequestCancelled: (requestNo: string) =>
    refusal(
      BANK_CODES.BAD_PARAMETERS,
      `request ${requestNo} was cancelled by the platform, which issued a new one: nothing done`,
    ),
  requestNotFound: (requestNo: string) => refusal(BANK_CODES.NOT_FOUND, `no request ${requestNo} is recorded`),
  cardBalanceTooLow: (userNo: string) =>
    refusal(BANK_CODES.CARD_BALANCE_TOO_LOW, `the bank card of user ${userNo} does not hold enough`),
  formLocked: (requestNo: string, tries: number) =>
    refusal(
      BANK_CODES.FORM_LOCKED,
      `request ${requestNo} refused: the trade password was wrong ${tries} times; start again from the platform`,
    ),
  formExpired: (requestNo: string, lifetimeMinutes: number) =>
    refusal(
      BANK_CODES.FORM_EXPIRED,
      `request ${requestNo} refused: the page form expired ${lifetimeMinutes} minutes after it was issued; ` +
        'start again from the platform',
    ),
  tradePasswordLocked: (tries: number) =>
    refusal(
      BANK_CODES.TRADE_PASSWORD_LOCKED,
      `the trade password is locked: ${tries} wrong tries within 24 hours; try again later`,
    ),
  idNumberTaken: () => refusal(BANK_CODES.ID_NUMBER_TAKEN, 'this ID number already has an account at this bank'),
  accountBalanceTooLow: (owner: string) =>
    refusal(BANK_CODES.ACCOUNT_BALANCE_TOO_LOW, `the account of ${owner} does not hold enough available balance`),
};
