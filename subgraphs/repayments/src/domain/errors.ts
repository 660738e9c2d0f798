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
  notHolding: (bidId: string) =>
    CommonErrors.conflict(
      `Bid ${bidId} is not a holding on sale terms: only a LOANED bid of a repaying loan is listed (not a FROZEN, REFUNDED or unknown bid)`,
    ),
  notHolder: () => CommonErrors.forbidden('only the current holder of a bid lists it'),
  notSeller: () => CommonErrors.forbidden('only its seller cancels a listing'),
  ownListing: () => CommonErrors.forbidden('a listing is bought by another investor, not its seller'),
  loanInArrears: (loanId: string) =>
    CommonErrors.conflict(`loan ${loanId} has an installment due and unpaid: its holdings are off the market`),
  heldTooShort: (heldDays: number, holdDays: number) =>
    CommonErrors.conflict(
      `a holding is listed ${holdDays} business days after the payout at the earliest; held ${heldDays}`,
    ),
  nothingLeft: (bidId: string) => CommonErrors.conflict(`bid ${bidId} has no principal left to sell`),
  alreadyListed: (bidId: string) =>
    CommonErrors.conflict(`bid ${bidId} is already on the market: cancel that listing first`),
  priceNotPositive: () => CommonErrors.badInput('price', 'must be more than 0'),
  priceOutsideWindow: (minFen: bigint, maxFen: bigint) =>
    CommonErrors.badInput('price', `must be from ${formatMoney(minFen)} to ${formatMoney(maxFen)} for this holding`),
  transferNotListed: (transferId: string, status: string) =>
    CommonErrors.conflict(`transfer ${transferId} is not on the market (it is ${status})`),
  transferBeingSold: (transferId: string) =>
    CommonErrors.conflict(`transfer ${transferId} is being bought by another investor; try again shortly`),
  holdingChanged: (transferId: string) =>
    CommonErrors.conflict(`the holding of transfer ${transferId} changed since it was listed: the listing has ended`),
  transferFundsShort: (priceFen: bigint, message: string) =>
    clientError(
      'INSUFFICIENT_FUNDS',
      `The bank refused to move ${formatMoney(priceFen)} from your account: ${message}`,
    ),
  transferRefused: (code: string, message: string) =>
    CommonErrors.conflict(`The bank refused the transfer (${code}): ${message}`),
  transferUnanswered: (transferId: string) =>
    clientError(
      'SERVICE_UNAVAILABLE',
      `The bank has not answered the purchase of transfer ${transferId} yet: it is completed or released within seconds (read transfer(id) again)`,
    ),
  loanNotPaidOut: (loanId: string) =>
    clientError('NOT_FOUND', `Loan ${loanId} not found among paid-out loans (receivables start at the payout)`, {
      entity: 'Loan',
      id: loanId,
    }),
};
