import { CommonErrors, unreachable, type EntityManager, type InternalBankClient } from '@wanxin/platform';
import { bidRefusal, newBankRequestNo, type BidLimits } from '../domain/bid-rules';
import { BidErrors } from '../domain/errors';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import { reserveFunding } from './reserve-funding';
import { freezeBid } from './settle-bid';

/**
 * placeBid, Medusa-style: (1) one transaction checks the rules in domain.md's order, reserves the amount
 * with the conditional UPDATE and inserts the bid PENDING with its requestNo; (2) outside it the bank is
 * asked to freeze with that requestNo; (3) its answer settles the bid: FROZEN, or FAILED with the
 * reservation given back. No answer: the bid stays PENDING and the settle job asks again.
 */
export async function placeBid(em: EntityManager, bank: InternalBankClient, investorId: string, loanId: string, amountFen: bigint, limits: BidLimits, now: Date): Promise<Bid> {
  const reserved = await em.transactional(async (tx) => {
    const funding = await tx.findOne(Funding, { loanId });
    const refusal = bidRefusal(funding, investorId, amountFen, limits);
    if (refusal !== null) throw BidErrors.refused(refusal, loanId);
    if (!(await reserveFunding(tx, loanId, amountFen, limits))) return null;
    const created = tx.create(Bid, { loanId, investorId, amountFen, status: 'PENDING', requestNo: newBankRequestNo('BD'), createdAt: now });
    tx.persist(created);
    // The loan number never changes: the bank freeze below names the project with the one read here.
    return { bid: created, loanNo: funding!.loanNo };
  });
  if (reserved === null) {
    // Another bid moved the funding between the read and the UPDATE: say which rule the fresh row breaks.
    const fresh = await em.fork().findOne(Funding, { loanId });
    throw BidErrors.refused(bidRefusal(fresh, investorId, amountFen, limits) ?? { rule: 'NOT_FUNDRAISING', status: 'FUNDRAISING' }, loanId);
  }
  const { bid, loanNo } = reserved;
  const outcome = await freezeBid(em, bank, bid, loanNo, now);
  switch (outcome.kind) {
    case 'REFUSED':
      throw outcome.insufficient ? BidErrors.insufficientFunds(outcome.message) : BidErrors.bankRefused(outcome.code, outcome.message);
    case 'FROZEN':
      // The bank froze this requestNo and markFrozen committed it: whoever settled the bid, it is FROZEN.
      bid.status = 'FROZEN';
      return bid;
    case 'UNKNOWN': {
      // The settle job may settle it from now on: show what the database holds.
      const settled = await em.fork().findOne(Bid, { id: bid.id });
      if (settled === null) throw CommonErrors.notFound('Bid', bid.id);
      return settled;
    }
    default:
      return unreachable(outcome, 'freeze outcome');
  }
}
