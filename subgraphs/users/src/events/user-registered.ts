import { defineEvent } from '@wanxin/platform';

/** A new account exists. Depository opens its account row from it. */
export const UserRegistered = defineEvent<{ userId: string; role: string; registeredAt: string }>('users.user.registered', 1);
