import { clientError, CommonErrors, unreachable } from '@wanxin/platform';
import type { CreditApplyRefusal, ReviewRefusal } from './credit-application';
import type { IdentityStartRefusal } from './identity-check';
import type { AdminActionRefusal } from './user-admin';
import type { FieldProblem } from './profile';
import { SMS_CODES_PER_MOBILE } from './sms';

/** Every error the users subgraph shows a client. */
export const UserErrors = {
  invalidMobile: (mobile: string) =>
    CommonErrors.badInput('mobile', `"${mobile}" is not an 11-digit mainland mobile number`),
  invalidPassword: (problem: string) => CommonErrors.badInput('password', problem),
  mobileTaken: () => clientError('CONFLICT', 'this mobile number is already registered'),
  adminNotSelfService: () => CommonErrors.forbidden('ADMIN accounts are created by an admin (createAdmin)'),
  wrongCredentials: () => CommonErrors.unauthenticated('wrong mobile number or password'),
  locked: (until: Date) =>
    CommonErrors.rateLimited(
      `too many failed logins: account locked until ${until.toISOString()}`,
      Math.max(0, until.getTime() - Date.now()),
    ),
  addressThrottled: (until: Date) =>
    CommonErrors.rateLimited(
      `too many failed logins from this address: try again after ${until.toISOString()}`,
      Math.max(0, until.getTime() - Date.now()),
    ),
  registrationsThrottled: (until: Date) =>
    CommonErrors.rateLimited(
      `too many registrations from this address: try again after ${until.toISOString()}`,
      Math.max(0, until.getTime() - Date.now()),
    ),
  smsCodesThrottled: (until: Date) =>
    CommonErrors.rateLimited(
      `at most ${SMS_CODES_PER_MOBILE.attemptsMax} codes per mobile per hour: try again after ${until.toISOString()}`,
      Math.max(0, until.getTime() - Date.now()),
    ),
  smsCodeRequired: () => CommonErrors.badInput('smsCode', 'registration needs the code sent by SMS (requestSmsCode)'),
  smsCodeNotLive: () =>
    CommonErrors.badInput(
      'smsCode',
      'no live code for this mobile (used, expired or guessed wrong 5 times): ask again',
    ),
  smsCodeWrong: () => CommonErrors.badInput('smsCode', 'wrong code'),
  notFound: (id: string) => CommonErrors.notFound('User', id),
  invalidUserId: () => CommonErrors.badInput('userId', 'is not a user id'),
  /** After a right password only: a wrong one never tells whether the account is disabled. */
  accountDisabled: () =>
    clientError('FORBIDDEN', 'this account is disabled: contact support', { reason: 'ACCOUNT_DISABLED' }),
  invalidSearchText: (problem: string) => CommonErrors.badInput('text', problem),
  accountChangedMeanwhile: (userId: string) =>
    clientError('CONFLICT', `User ${userId} was changed by another admin meanwhile: reload and try again`, { userId }),
  adminActionRefused(userId: string, refusal: AdminActionRefusal) {
    switch (refusal.rule) {
      case 'REASON_REQUIRED':
        return CommonErrors.badInput('reason', 'must say why (1 to 200 characters)');
      case 'REASON_TOO_LONG':
        return CommonErrors.badInput('reason', `must have at most ${refusal.lengthMax} characters`);
      case 'DISABLE_SELF':
        return CommonErrors.forbidden('an admin may not disable their own account');
      case 'ALREADY_DISABLED':
        return clientError('CONFLICT', `User ${userId} is already disabled`, { userId });
      case 'NOT_DISABLED':
        return clientError('CONFLICT', `User ${userId} is not disabled`, { userId });
      case 'NOT_LOCKED':
        return clientError('CONFLICT', `User ${userId} is not locked out`, { userId });
      default:
        return unreachable(refusal, 'admin action refusal');
    }
  },
  /** A profile or identity input breaking a rule: BAD_USER_INPUT naming the input's field. */
  invalidField: (problem: FieldProblem) => CommonErrors.badInput(problem.field, problem.reason),
  identityStartRefused(refusal: IdentityStartRefusal) {
    switch (refusal.rule) {
      case 'CHECK_IN_PROGRESS':
        return CommonErrors.conflict('an identity check is in progress: wait for its result');
      case 'ALREADY_VERIFIED':
        return CommonErrors.conflict('your identity is already verified');
      case 'TOO_MANY_CHECKS':
        return CommonErrors.conflict(`at most ${refusal.checksMax} identity checks per user: contact support`);
      default:
        return unreachable(refusal, 'identity start refusal');
    }
  },
  idNumberTaken: () => CommonErrors.conflict('this ID number belongs to another user'),
  creditApplyRefused(refusal: CreditApplyRefusal) {
    switch (refusal.rule) {
      case 'NOT_BORROWER':
        return CommonErrors.forbidden(`only a BORROWER applies for credit, not ${refusal.role}`);
      case 'IDENTITY_NOT_VERIFIED':
        return CommonErrors.conflict(
          refusal.identityStatus === null
            ? 'verify your identity first (verifyIdentity)'
            : `your identity check is ${refusal.identityStatus}: it must be VERIFIED`,
        );
      case 'PROFILE_INCOMPLETE':
        return CommonErrors.conflict('complete your profile first (updateProfile)');
      case 'APPLICATION_OPEN':
        return CommonErrors.conflict('you already have a credit application being decided');
      default:
        return unreachable(refusal, 'credit apply refusal');
    }
  },
  creditApplicationNotFound: (id: string) => CommonErrors.notFound('CreditApplication', id),
  reviewRefused(applicationId: string, refusal: ReviewRefusal) {
    switch (refusal.rule) {
      case 'NOT_SUBMITTED':
        return clientError('CONFLICT', `Credit application ${applicationId} is ${refusal.status}: already reviewed`, {
          applicationId,
          status: refusal.status,
        });
      case 'REASON_REQUIRED':
        return CommonErrors.badInput('reason', 'a refusal needs a reason');
      case 'REASON_TOO_LONG':
        return CommonErrors.badInput('reason', `must have at most ${refusal.lengthMax} characters`);
      default:
        return unreachable(refusal, 'review refusal');
    }
  },
};
