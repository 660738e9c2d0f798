import { clientError, CommonErrors } from '@wanxin/platform';

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
  notFound: (id: string) => CommonErrors.notFound('User', id),
};
