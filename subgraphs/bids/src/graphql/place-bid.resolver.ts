import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { CommonErrors, isId, isRepaymentMethod, requireRole, type SubgraphContext } from '@wanxin/platform';
import { bidsLeft } from '../domain/bid-rules';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import type { BidsServices } from '../services';
import { BidPreviewArgs, PlaceBidArgs } from './bid.args';
import { BidPreviewNode } from './bid-preview.type';
import { BidNode } from './bid.type';

type Context = SubgraphContext<BidsServices>;

function parseLoanId(id: string): string {
  if (!isId(id)) throw CommonErrors.badInput('loanId', 'is not a loan id');
  return id;
}

@Resolver()
export class PlaceBidResolver {
  @Mutation(() => BidNode, {
    description:
      'INVESTOR: bids on a FUNDRAISING loan; the bank freezes the amount. PENDING when the bank did not answer in time.',
  })
  placeBid(
    @Args(() => PlaceBidArgs) { loanId, amount: amountFen }: PlaceBidArgs,
    @Ctx() context: Context,
  ): Promise<Bid> {
    const investor = requireRole(context, ['INVESTOR']);
    return context.services.desk.place(investor.id, parseLoanId(loanId), amountFen, new Date());
  }

  @Query(() => BidPreviewNode, {
    description: 'INVESTOR: remaining, minimum bid and the interest a bid of `amount` would be paid.',
  })
  async bidPreview(
    @Args(() => BidPreviewArgs) { loanId, amount: amountFen }: BidPreviewArgs,
    @Ctx() context: Context,
  ): Promise<BidPreviewNode> {
    const investor = requireRole(context, ['INVESTOR']);
    const funding = await context.em.findOne(Funding, { loanId: parseLoanId(loanId) });
    if (funding === null) throw CommonErrors.notFound('Loan', loanId);
    if (amountFen !== null && amountFen !== undefined && amountFen <= 0n)
      throw CommonErrors.badInput('amount', 'must be positive');
    const method = funding.repaymentMethod;
    if (!isRepaymentMethod(method)) throw new Error(`funding ${loanId} has repayment method ${method}`);
    const { minBidFen, bidsPerLoanMax } = context.services.settings;
    return {
      id: `${funding.loanId}:${investor.id}`,
      loan: { id: funding.loanId },
      remainingFen: funding.amountFen - funding.raisedFen,
      minBidFen,
      bidsLeft: bidsLeft(funding.bidCount, bidsPerLoanMax),
      interestQuery: { funding, method, amountFen: amountFen ?? null, now: new Date() },
    };
  }
}
