import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, type Connection, type SubgraphContext } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import type { BidsServices } from '../services';
import { BidConnection } from './bid-connection.type';
import { LoanReference } from './external/loan';
import { toFundingNode } from './funding';
import { FundingNode } from './funding.type';

/** What the bids subgraph adds to `Loan`: public, like the loan's own figures. */
@Resolver(() => LoanReference)
export class LoanBidsResolver {
  @FieldResolver(() => FundingNode, {
    description: 'Raised, remaining, bid count and progress: public, like the loan.',
  })
  async funding(@Root() loan: LoanReference, @Ctx() context: SubgraphContext<BidsServices>): Promise<FundingNode> {
    return toFundingNode(await context.loaders.byColumn(Funding, 'loanId').load(loan.id));
  }

  @FieldResolver(() => BidConnection, { description: "The loan's bids, newest first." })
  bids(
    @Root() loan: LoanReference,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: SubgraphContext<BidsServices>,
  ): Promise<Connection<Bid>> {
    // Batched: a page of loans showing their bids costs two queries, not two per loan.
    return context.loaders.pagesByColumn(Bid, 'loanId', page).load(loan.id);
  }

  @FieldResolver(() => Boolean, {
    description:
      'Whether the signed-in user has money in this loan: a FROZEN or LOANED bid (the gateway lets them follow repaymentStatus).',
  })
  async viewerHasBid(@Root() loan: LoanReference, @Ctx() context: SubgraphContext<BidsServices>): Promise<boolean> {
    const viewer = context.viewer;
    if (viewer === null) return false;
    const held = { loanId: loan.id, investorId: viewer.id, status: { $in: ['FROZEN', 'LOANED'] } } as const;
    return (await context.em.count(Bid, held)) > 0;
  }
}
