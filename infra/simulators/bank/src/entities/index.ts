import { BankAccount } from './bank-account.entity';
import { BankFreeze } from './bank-freeze.entity';
import { OutgoingNotification } from './outgoing-notification.entity';
import { BankProject } from './bank-project.entity';
import { BankRequest } from './bank-request.entity';
import { BankTradePasswordTry } from './bank-trade-password-try.entity';
import { BankTransfer } from './bank-transfer.entity';
import { BankUser } from './bank-user.entity';

export {
  BankAccount,
  BankFreeze,
  OutgoingNotification,
  BankProject,
  BankRequest,
  BankTradePasswordTry,
  BankTransfer,
  BankUser,
};

/** The bank's own tables, in its own database (`<prefix>_bank`). */
export const BANK_ENTITIES = [
  BankAccount,
  BankTransfer,
  BankFreeze,
  BankUser,
  BankProject,
  BankRequest,
  OutgoingNotification,
  BankTradePasswordTry,
];
