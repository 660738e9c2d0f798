import type { EntityManager } from '@wanxin/platform';
import { UserErrors } from '../domain/errors';
import type { User } from '../entities/user.entity';
import { createAccount, validateCredentials, type NewAccount, type RegistrationThrottle } from './create-account';
import { useSmsCode } from './sms-codes';

/**
 * A BORROWER or INVESTOR signs up; admins are created by admins (createAdmin). With SMS_CODE_REQUIRED the
 * mobile's live code is used first, so the number is proven to be the registrant's.
 */
export async function register(
  em: EntityManager,
  account: NewAccount & { smsCode?: string | null },
  registrations: RegistrationThrottle,
  smsCodeRequired: boolean,
): Promise<User> {
  if (account.role === 'ADMIN') throw UserErrors.adminNotSelfService();
  if (smsCodeRequired) {
    validateCredentials(account.mobile, account.password); // before the code is used up
    if (account.smsCode === undefined || account.smsCode === null) throw UserErrors.smsCodeRequired();
    await useSmsCode(em, account.mobile, account.smsCode);
  }
  return createAccount(em, account, registrations);
}
