import { subscribeTo, type EntityManager } from '@wanxin/platform';
import { BidPlaced } from '@wanxin/platform/contracts';
import { progressE18Of } from '../domain/loan-search';
import { addLoanFunded, readLoanFunding, setLoanProgress } from '../store';

/** Writes the progress key of what the loan's row holds now; the caller's UPDATE holds the row locked. */
async function recordLoanProgress(em: EntityManager, loanId: string): Promise<void> {
  const funding = await readLoanFunding(em, loanId);
  if (funding === null) throw new Error(`loan ${loanId} does not exist`);
  await setLoanProgress(em, loanId, funding.fundedFen, progressE18Of(funding.fundedFen, funding.amountFen));
}

/**
 * `bids.bid.placed` → the bid's amount added to what the loan's bids froze, and its progress with it, in the
 * inbox's transaction: each bid counts once. A loan past FUNDRAISING got its total from
 * `bids.loan.fully-funded`, which may arrive first: the bid is already in it. A FUNDRAISING loan the bid
 * does not fit means the two subgraphs disagree: the message is redelivered and then dead-lettered.
 */
export const loanFundingOnBidPlaced = subscribeTo(BidPlaced, 'loan-funding', async (em, payload) => {
  const { loanId } = payload;
  if (await addLoanFunded(em, loanId, BigInt(payload.amountFen))) return recordLoanProgress(em, loanId);
  const funding = await readLoanFunding(em, loanId);
  if (funding === null) throw new Error(`bids.bid.placed: loan ${loanId} does not exist`);
  if (funding.status === 'FUNDRAISING')
    throw new Error(
      `bids.bid.placed: loan ${loanId} has ${funding.fundedFen} of ${funding.amountFen} fen frozen; ` +
        `bid ${payload.bidId} of ${payload.amountFen} does not fit`,
    );
});
