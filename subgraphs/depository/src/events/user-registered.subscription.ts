import { isId, type EventSubscription } from '@wanxin/platform';
import { findOrCreateAccount } from '../agent/account-rows';

interface UserRegisteredPayload {
  userId: string;
  role: string;
}

/** `users.user.registered` → the user's depository-account row, NOT_OPENED. Admins hold no account. */
export const accountRowOnRegistration: EventSubscription<UserRegisteredPayload> = {
  name: 'account-row-on-registration',
  type: 'users.user.registered',
  version: 1,
  decode(payload) {
    const { userId, role } = payload;
    if (typeof userId !== 'string' || !isId(userId) || typeof role !== 'string') return null;
    return { userId, role };
  },
  async handle(em, { userId, role }) {
    if (role === 'ADMIN') return;
    // The unique user id backs the inbox: a row that already exists is the same effect.
    await findOrCreateAccount(em, userId);
  },
};
