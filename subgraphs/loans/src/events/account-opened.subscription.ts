import { bankUserNoFor, isId, type EventSubscription } from '@wanxin/platform';
import { OpenedAccount } from '../entities/opened-account.entity';

interface AccountOpenedPayload {
  userId: string;
  userNo: string;
}

/** `depository.account.opened` → an `opened_accounts` row, which createLoan requires of a borrower. */
export const openedAccountOnAccountOpened: EventSubscription<AccountOpenedPayload> = {
  name: 'opened-account-on-account-opened',
  type: 'depository.account.opened',
  version: 1,
  decode(payload) {
    const { userId, userNo } = payload;
    if (typeof userId !== 'string' || !isId(userId) || typeof userNo !== 'string') return null;
    // The agent derives the number from the id; anything else is not an account loans can register projects for.
    if (userNo !== bankUserNoFor(userId)) return null;
    return { userId, userNo };
  },
  async handle(em, { userId, userNo }, envelope) {
    // Idempotent by the user id as well as by the inbox: an account opens once.
    if ((await em.count(OpenedAccount, { userId })) > 0) return;
    await em.insert(OpenedAccount, { userId, userNo, openedAt: new Date(envelope.occurredAt) });
  },
};
