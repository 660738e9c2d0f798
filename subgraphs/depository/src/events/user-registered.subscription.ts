import { subscribeTo } from '@wanxin/platform';
import { UserRegistered } from '@wanxin/platform/contracts';
import { findOrCreateAccount } from '../agent/account-rows';

/** `users.user.registered` → the user's depository-account row, NOT_OPENED. Admins hold no account. */
export const accountRowOnRegistration = subscribeTo(
  UserRegistered,
  'account-row-on-registration',
  async (em, { userId, role }) => {
    if (role === 'ADMIN') return;
    // The unique user id backs the inbox: a row that already exists is the same effect.
    await findOrCreateAccount(em, userId);
  },
);
