import { clientError, CommonErrors, formatMoney } from '@wanxin/platform';
import type { DepositoryStatus } from './account-status';

/** Every error the depository subgraph shows a client. */
export const DepositoryErrors = {
  invalidField: (field: string, reason: string) => CommonErrors.badInput(field, reason),
  amountNotPositive: () => CommonErrors.badInput('amount', 'must be more than 0.00'),
  noAccountHolder: () => CommonErrors.forbidden('only borrowers and investors hold depository accounts'),
  cannotOpen: (status: DepositoryStatus) =>
    clientError('CONFLICT', `the depository account is ${status}: it cannot be opened now`, { status }),
  openingSubmitted: () =>
    clientError(
      'CONFLICT',
      'the depository account is PENDING: the bank is opening it from your earlier page; its result arrives shortly',
      {
        status: 'PENDING',
      },
    ),
  bankDidNotAnswer: () => CommonErrors.conflict('the bank did not answer: try again shortly'),
  bankRefused: (code: string, message: string) => CommonErrors.conflict(`the bank refused (${code}): ${message}`),
  identityNotVerified: () =>
    clientError(
      'CONFLICT',
      'verify your identity first (verifyIdentity): the account is opened with the verified one',
      {
        field: 'identity',
      },
    ),
  identityMismatch: (field: 'realName' | 'idNumber') =>
    CommonErrors.badInput(field, 'must be your verified identity’s (or left out: the verified one is used)'),
  idNumberTaken: () =>
    clientError('CONFLICT', 'this ID number already belongs to another user’s depository account', {
      field: 'idNumber',
    }),
  notOpened: (status: DepositoryStatus | 'MISSING') =>
    clientError('CONFLICT', `the depository account is ${status}: open it first`, { status }),
  insufficientFunds: (availableFen: bigint) =>
    clientError('INSUFFICIENT_FUNDS', 'the amount is more than the available balance', {
      available: formatMoney(availableFen),
    }),
};
