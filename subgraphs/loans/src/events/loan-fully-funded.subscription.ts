import { subscribeTo } from '@wanxin/platform';
import { LoanFullyFunded } from '@wanxin/platform/contracts';
import { LoanBid } from '../entities/loan-bid.entity';
import { Loan } from '../entities/loan.entity';
import { LOAN_TRANSITIONS } from '../domain/loan-status';
import { progressE18Of } from '../domain/loan-search';
import { setLoanProgress } from '../store';

/**
 * `bids.loan.fully-funded` → the loan FUNDRAISING → FULLY_FUNDED, its bids stored for the payout event,
 * its funded total the amount (whichever of its bids' `bids.bid.placed` have not arrived yet).
 * A payload that disagrees with the loan (unknown loan, raised ≠ amount, loan not FUNDRAISING) throws:
 * the message is redelivered and then dead-lettered, with the reason in the log.
 */
// The contract holds what the payload alone can prove: ids, positive fen, distinct bids, Σ bids = raised.
export const loanFullyFunded = subscribeTo(LoanFullyFunded, 'loan-fully-funded', async (em, payload) => {
  const { loanId } = payload;
  const raisedFen = BigInt(payload.raisedFen);
  const loan = await em.findOne(Loan, { id: loanId });
  if (loan === null) throw new Error(`bids.loan.fully-funded: loan ${loanId} does not exist`);
  if (loan.amountFen !== raisedFen)
    throw new Error(`bids.loan.fully-funded: loan ${loanId} is ${loan.amountFen} fen, bids raised ${raisedFen}`);
  const [from, to] = LOAN_TRANSITIONS.FULLY_FUND;
  const moved = await em.nativeUpdate(Loan, { id: loanId, status: from }, { status: to });
  if (moved === 0) throw new Error(`bids.loan.fully-funded: loan ${loanId} is ${loan.status}, not ${from}`);
  await setLoanProgress(em, loanId, raisedFen, progressE18Of(raisedFen, loan.amountFen));
  await em.insertMany(
    LoanBid,
    payload.bids.map((bid) => ({ ...bid, amountFen: BigInt(bid.amountFen), loanId })),
  );
});
