import type { EntityManager } from '@wanxin/platform';
import { UserErrors } from '../domain/errors';
import type { User } from '../entities/user.entity';
import { createAccount, type NewAccount, type RegistrationThrottle } from './create-account';

/** A BORROWER or INVESTOR signs up; admins are created by admins (createAdmin). */
export async function register(
  em: EntityManager,
  account: NewAccount,
  registrations: RegistrationThrottle,
): Promise<User> {
  if (account.role === 'ADMIN') throw UserErrors.adminNotSelfService();
  return createAccount(em, account, registrations);
}
