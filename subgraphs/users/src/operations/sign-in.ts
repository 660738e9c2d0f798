import type { EntityManager } from '@wanxin/platform';
import { isLocked, isValidMobile, lockedUntilAfter } from '../domain/account-rules';
import { UserErrors } from '../domain/errors';
import { DECOY_PASSWORD_HASH, verifyPassword } from '../domain/password';
import { User } from '../entities/user.entity';
import type { UsersServices } from '../services';
import {
  forgetFailedGuesses,
  lockWhenGuessesUsed,
  releaseAddressAttempt,
  reserveAccountGuess,
  takeAddressAttempt,
} from './throttles';

/** Every password check is counted (`wanxin_login_password_checks_total`): what the throttles bound. */
function checkPassword(services: UsersServices, password: string, hash: string): Promise<boolean> {
  services.passwordChecks.inc();
  return verifyPassword(password, hash);
}

/**
 * Checks a password only after its guess was taken from the address's and the account's budgets (one
 * conditional statement each), so no concurrency gets more guesses past them; a right password, or a
 * refusal that checked none, gives the address's attempt back. A disabled account is told so only
 * after its right password.
 */
export async function signIn(
  em: EntityManager,
  services: UsersServices,
  clientAddress: string,
  credentials: { mobile: string; password: string },
): Promise<User> {
  const { mobile, password } = credentials;
  const { failuresMax, lockMs } = services.throttles.accountLogin;
  await takeAddressAttempt(em, 'LOGIN', clientAddress, services.throttles.addressLogin, UserErrors.addressThrottled);
  const user = isValidMobile(mobile) ? await em.findOne(User, { mobile }, { populate: ['passwordHash'] }) : null;
  if (user === null) {
    await checkPassword(services, password, await DECOY_PASSWORD_HASH);
    throw UserErrors.wrongCredentials();
  }
  if (!(await reserveAccountGuess(em, user.id, failuresMax, new Date()))) {
    await releaseAddressAttempt(em, 'LOGIN', clientAddress);
    const now = new Date();
    throw UserErrors.locked(isLocked(user.lockedUntil, now) ? user.lockedUntil! : lockedUntilAfter(now, lockMs));
  }
  if (!(await checkPassword(services, password, user.passwordHash))) {
    const lockedUntil = lockedUntilAfter(new Date(), lockMs);
    const locked = await lockWhenGuessesUsed(em, user.id, failuresMax, lockedUntil);
    throw locked ? UserErrors.locked(lockedUntil) : UserErrors.wrongCredentials();
  }
  await forgetFailedGuesses(em, user.id);
  await releaseAddressAttempt(em, 'LOGIN', clientAddress);
  if (user.disabledAt !== null) throw UserErrors.accountDisabled();
  return user;
}
