import { clientError, CommonErrors, formatMoney, unreachable } from '@wanxin/platform';
import type { AutoInvestProblem, AutoRefusal } from './auto-invest';
import type { BidRefusal } from './bid-rules';

/** One answer to a loan with nothing left, however far its funding has got: CONFLICT, never BAD_USER_INPUT. */
function fullyFunded(loanId: string) {
  return CommonErrors.conflict(`loan ${loanId} is fully funded: nothing remains to bid on`);
}

/** Every error the bids subgraph shows a client, with the contract's codes. */
export const BidErrors = {
  refused(refusal: BidRefusal, loanId: string) {
    switch (refusal.rule) {
      case 'BELOW_MINIMUM':
        return CommonErrors.badInput('amount', `the minimum bid is ${formatMoney(refusal.minBidFen)}`);
      case 'LOAN_NOT_FOUND':
        return CommonErrors.notFound('Loan', loanId);
      case 'NOT_FUNDRAISING':
        if (refusal.status === 'FULLY_FUNDED') return fullyFunded(loanId);
        return CommonErrors.conflict(`loan ${loanId} is not open for bids`);
      case 'FILLED':
        return fullyFunded(loanId);
      case 'OWN_LOAN':
        return CommonErrors.forbidden('a borrower cannot bid on their own loan');
      case 'ABOVE_REMAINING':
        return CommonErrors.badInput('amount', `only ${formatMoney(refusal.remainingFen)} remains`);
      case 'REMAINDER_BELOW_MINIMUM':
        return CommonErrors.badInput(
          'amount',
          `it would leave ${formatMoney(refusal.remainderFen)}, less than the minimum bid ${formatMoney(refusal.minBidFen)}`,
        );
      case 'BIDS_PER_LOAN_REACHED':
        return CommonErrors.conflict(`loan ${loanId} holds the most bids a loan takes (${refusal.bidsPerLoanMax})`);
      case 'LAST_BID_LEAVES_REMAINDER':
        return CommonErrors.badInput(
          'amount',
          `this loan takes one more bid, which must be the whole remaining ${formatMoney(refusal.remainingFen)}`,
        );
      default:
        return unreachable(refusal, 'bid refusal');
    }
  },
  insufficientFunds: (message: string) => clientError('INSUFFICIENT_FUNDS', `The bank refused the freeze: ${message}`),
  bankRefused: (code: string, message: string) =>
    CommonErrors.conflict(`The bank refused the freeze (${code}): ${message}`),
  loanNeverOpened: (loanId: string) =>
    clientError('NOT_FOUND', `Loan ${loanId} not found among loans opened for bids`, { entity: 'Loan', id: loanId }),
};

/** Errors of auto-invest: a bad rule for the client; the reservation's refusals for the engine. */
export const AutoInvestErrors = {
  badRule: (problem: AutoInvestProblem) => CommonErrors.badInput(`input.${problem.field}`, problem.reason),
  refused(refusal: AutoRefusal, loanId: string, ruleId: string) {
    switch (refusal) {
      case 'ALREADY_SERVED':
        return CommonErrors.conflict(`auto-invest rule ${ruleId} already bid on loan ${loanId}`);
      case 'SHARE_FULL':
        return CommonErrors.conflict(`loan ${loanId}: the auto bids hold the whole auto-invest share`);
      default:
        return unreachable(refusal, 'auto refusal');
    }
  },
};
