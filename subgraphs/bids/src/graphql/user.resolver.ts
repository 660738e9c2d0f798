import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { findPage, PageArgs, requireOwnerOrAdmin, type Connection, type SubgraphContext } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import type { BidsServices } from '../services';
import { BidConnection } from './bid-connection.type';
import { UserReference } from './external/user';

/** What the bids subgraph adds to `User`. */
@Resolver(() => UserReference)
export class UserBidsResolver {
  // Nullable: anyone else gets null and an error at this field, and the rest of the answer stays.
  @FieldResolver(() => BidConnection, {
    nullable: true,
    description:
      "The user's bids as investor, newest first: the user themself or an admin; null (with an error) for anyone else.",
  })
  bids(
    @Root() user: UserReference,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: SubgraphContext<BidsServices>,
  ): Promise<Connection<Bid>> {
    requireOwnerOrAdmin(context, user.id, "a user's bids");
    return findPage(context.em, Bid, { investorId: user.id }, page);
  }
}
