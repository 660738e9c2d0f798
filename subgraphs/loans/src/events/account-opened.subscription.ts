import { subscribeTo } from '@wanxin/platform';
import { AccountOpened } from '@wanxin/platform/contracts';
import { OpenedAccount } from '../entities/opened-account.entity';

/** `depository.account.opened` → an `opened_accounts` row, which createLoan requires of a borrower. */
export const openedAccountOnAccountOpened = subscribeTo(
  AccountOpened,
  'opened-account-on-account-opened',
  async (em, { userId, userNo }, envelope) => {
    // Idempotent by the user id as well as by the inbox: an account opens once.
    if ((await em.count(OpenedAccount, { userId })) > 0) return;
    await em.insert(OpenedAccount, { userId, userNo, openedAt: new Date(envelope.occurredAt) });
  },
);
