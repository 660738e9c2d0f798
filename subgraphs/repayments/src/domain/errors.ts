import { clientError, CommonErrors, formatMoney } from '@wanxin/platform';

/** Every error the repayments subgraph shows a client, with the contract's codes. */
export const RepaymentErrors = {
  dateNotForward: (requested: string, businessDate: string) =>
    CommonErrors.badInput('date', `the business date is ${businessDate}; it moves forward only, not to ${requested}`),
  dateTooFar: (requested: string, daysMax: number) =>
    CommonErrors.badInput('date', `${requested} is more than ${daysMax} days ahead of the business date`),
  runInProgress: () => CommonErrors.conflict('a daily run is in progress; try again when it has finished'),
  loanNotRepaying: (loanId: string) => CommonErrors.conflict(`loan ${loanId} has nothing left to repay`),
  collectionInProgress: (loanId: string) =>
    CommonErrors.conflict(`a repayment of loan ${loanId} is waiting for the bank's answer; try again shortly`),
  recordRefused: (refusal: 'UNAUTHENTICATED' | 'FORBIDDEN') =>
    refusal === 'UNAUTHENTICATED'
      ? CommonErrors.signInToSee("a loan's repayment schedule (its borrower, its investors and admins only)")
      : CommonErrors.forbidden("a loan's repayment schedule is for its borrower, its investors and admins"),
  alreadyRepaid: () => CommonErrors.conflict('the installment is already repaid'),
  notYetDue: (dueDate: string, businessDate: string) =>
    CommonErrors.conflict(
      `the installment falls due on ${dueDate} and the business date is ${businessDate}: repay it then, or repay the loan early`,
    ),
  notBorrower: () => CommonErrors.forbidden("only the loan's borrower repays it"),
  insufficientFunds: (amountFen: bigint, message: string) =>
    clientError('INSUFFICIENT_FUNDS', `The bank refused to freeze ${formatMoney(amountFen)}: ${message}`),
  bankRefused: (code: string, message: string) =>
    CommonErrors.conflict(`The bank refused the repayment (${code}): ${message}`),
  loanNotPaidOut: (loanId: string) =>
    clientError('NOT_FOUND', `Loan ${loanId} not found among paid-out loans (receivables start at the payout)`, {
      entity: 'Loan',
      id: loanId,
    }),
};
