import { CommonErrors, clientError, formatMoney } from '@wanxin/platform';
import type { LoanAction, LoanStatus } from './loan-status';

/** Every error the loans subgraph shows a client. */
export const LoanErrors = {
  invalidId: (id: string) => CommonErrors.badInput('id', `"${id}" is not a loan id`),
  /** Also what a viewer gets for a loan they may not see: its existence is not revealed. */
  notFound: (id: string) => CommonErrors.notFound('Loan', id),
  badInput: (field: string, reason: string) => CommonErrors.badInput(field, reason),
  transitionRefused: (loanId: string, status: LoanStatus, action: LoanAction) =>
    clientError('CONFLICT', `Loan ${loanId} is ${status}: ${action} is not allowed`, { loanId, status, action }),
  notYourLoan: () => CommonErrors.forbidden('only its borrower or an admin may cancel a loan'),
  notWithdrawable: (loanId: string, status: LoanStatus) =>
    clientError('CONFLICT', `Loan ${loanId} is ${status}: its borrower may cancel it only while PENDING_REVIEW`, {
      loanId,
      status,
    }),
  notCancellable: (loanId: string, status: LoanStatus) =>
    clientError(
      'CONFLICT',
      `Loan ${loanId} is ${status}: it can be cancelled only while PENDING_REVIEW or FUNDRAISING`,
      {
        loanId,
        status,
      },
    ),
  accountNotOpened: () => CommonErrors.conflict('open your depository account first'),
  /** The amount is above what the borrower's credit line has available. */
  creditLimitExceeded: (amountFen: bigint, availableFen: bigint) =>
    clientError(
      'CREDIT_LIMIT_EXCEEDED',
      `the amount ${formatMoney(amountFen)} is above your available credit ${formatMoney(availableFen)}`,
      { available: formatMoney(availableFen) },
    ),
  /** No approved credit line yet: the contract's code for any amount above what is available (0). */
  noCreditLine: (amountFen: bigint) =>
    clientError(
      'CREDIT_LIMIT_EXCEEDED',
      `the amount ${formatMoney(amountFen)} needs a credit line: apply for credit and wait for its approval`,
      { available: formatMoney(0n) },
    ),
  loanUnderReview: () => CommonErrors.conflict('you already have a loan waiting for review'),
  approvalInProgress: (loanId: string) =>
    CommonErrors.conflict(
      `Loan ${loanId} is being registered at the bank: approve again to finish, then it cannot be rejected here`,
    ),
  payoutInProgress: (loanId: string) =>
    CommonErrors.conflict(`Loan ${loanId} has a payout request at the bank: approve again to finish it`),
  /** The bank refused the instruction; nothing changed and the next attempt sends a new request. */
  bankRefused: (loanId: string, serviceName: string, code: string, message: string) =>
    clientError('CONFLICT', `The bank refused ${serviceName} for loan ${loanId}: ${code} ${message}`, {
      loanId,
      bankCode: code,
    }),
  /** Nobody knows whether the bank applied it: the same request is sent again on retry. */
  bankUnanswered: (loanId: string, serviceName: string, requestNo: string) =>
    clientError(
      'CONFLICT',
      `The bank did not answer ${serviceName} for loan ${loanId}; retry: the same request ${requestNo} is sent again`,
      {
        loanId,
        requestNo,
        retryable: true,
      },
    ),
};
