import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { assert, knownBusinessDate, publishEvent, type EntityManager, type Role } from '@wanxin/platform';
import { UserRegistered } from '@wanxin/platform/contracts';
import { isValidMobile, passwordProblem, type AttemptLimit } from '../domain/account-rules';
import { UserErrors } from '../domain/errors';
import { hashPassword } from '../domain/password';
import { BusinessDay } from '../entities/business-day.entity';
import { User } from '../entities/user.entity';
import { takeAddressAttempt } from './throttles';

/** A new account's credentials and role. */
export interface NewAccount {
  mobile: string;
  password: string;
  role: Role;
}

export function validateCredentials(mobile: string, password: string): void {
  if (!isValidMobile(mobile)) throw UserErrors.invalidMobile(mobile);
  const problem = passwordProblem(password);
  if (problem !== null) throw UserErrors.invalidPassword(problem);
}

/** Stores a new user and its `users.user.registered` event; a mobile already registered is reported as null. */
export async function insertUser(em: EntityManager, account: NewAccount): Promise<User | null> {
  assert(isValidMobile(account.mobile), 'mobile must be validated before insert');
  const passwordHash = await hashPassword(account.password);
  try {
    return await em.transactional(async (tx) => {
      const registeredBusinessDate = await knownBusinessDate(tx, BusinessDay, undefined, new Date());
      const user = tx.create(User, {
        mobile: account.mobile,
        role: account.role,
        passwordHash,
        registeredBusinessDate,
      });
      publishEvent(tx, UserRegistered, user.id, {
        userId: user.id,
        role: user.role,
        registeredAt: user.createdAt.toISOString(),
        businessDate: registeredBusinessDate,
      });
      return user;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return null;
    throw error;
  }
}

/** Self-service sign-ups take one of their address's attempts, once the credentials are valid. */
export interface RegistrationThrottle {
  address: string;
  limit: AttemptLimit;
}

/** Stores the account once its credentials are valid; a mobile already registered is CONFLICT. */
export async function createAccount(
  em: EntityManager,
  account: NewAccount,
  registrations?: RegistrationThrottle,
): Promise<User> {
  validateCredentials(account.mobile, account.password);
  if (registrations !== undefined) {
    const { address, limit } = registrations;
    await takeAddressAttempt(em, 'REGISTER', address, limit, UserErrors.registrationsThrottled);
  }
  const user = await insertUser(em, account);
  if (user === null) throw UserErrors.mobileTaken();
  return user;
}
