import { unreachable } from '@wanxin/platform';
import type { LedgerRefusal } from '../domain/ledger';
import { BankRefusals, type Outcome } from '../domain/outcomes';
import type { StoredAccount } from './ledger-store';

/** What the platform is told when the ledger refuses a group: the account that would have gone below zero decides. */
export function outcomeOfLedgerRefusal(refusal: LedgerRefusal, account: StoredAccount | null): Outcome {
  switch (refusal.code) {
    case 'EXCEEDS_CREDITS': {
      const owner = account === null ? refusal.accountId : account.ref.slice(account.ref.indexOf(':') + 1);
      if (account?.code === 'CARD') return BankRefusals.cardBalanceTooLow(owner);
      if (account?.code === 'USER') return BankRefusals.accountBalanceTooLow(`user ${owner}`);
      if (account?.code === 'PROJECT') return BankRefusals.accountBalanceTooLow(`project ${owner}`);
      return BankRefusals.systemError(`account ${refusal.accountId} refused a debit`);
    }
    case 'INVALID_AMOUNT':
      return BankRefusals.badParameter('amountFen', 'must be above zero and at most the maximum');
    case 'SAME_ACCOUNT':
      return BankRefusals.badRequest('a transfer may not debit and credit the same account');
    case 'POST_EXCEEDS_PENDING':
      return BankRefusals.badRequest('a settlement may not exceed its freeze');
    case 'PENDING_SETTLED_TWICE':
      return BankRefusals.badRequest('a freeze may be settled only once');
    default:
      return unreachable(refusal, 'ledger refusal');
  }
}
