import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { findStatusAndLoanPage, requireOwnerOrAdmin, statusAndLoanArgs } from '@wanxin/platform';
import type { Connection, StatusAndLoanArgs, SubgraphContext } from '@wanxin/platform';
import type { BidStatus } from '../domain/bid-status';
import { BidErrors } from '../domain/errors';
import { AutoInvestRule } from '../entities/auto-invest-rule.entity';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import type { BidsServices } from '../services';
import { AutoInvestRuleNode, toAutoInvestRuleNode } from './auto-invest-rule.type';
import { BidConnection } from './bid-connection.type';
import { BidStatusEnum } from './bid-status.enum';
import { UserReference } from './external/user';

const UserBidsArgs = statusAndLoanArgs<BidStatus>(BidStatusEnum, 'bids');

/** What the bids subgraph adds to `User`. */
@Resolver(() => UserReference)
export class UserBidsResolver {
  // Nullable: anyone else gets null and an error at this field, and the rest of the answer stays.
  @FieldResolver(() => BidConnection, {
    nullable: true,
    description:
      "The user's bids as investor, newest first, by status and loan if asked: the user themself or an admin; " +
      'null (with an error) for anyone else.',
  })
  bids(
    @Root() user: UserReference,
    @Args(() => UserBidsArgs) args: StatusAndLoanArgs<BidStatus>,
    @Ctx() context: SubgraphContext<BidsServices>,
  ): Promise<Connection<Bid>> {
    requireOwnerOrAdmin(context, user.id, "a user's bids");
    // Bids knows a loan from its opening for bids (loans.loan.opened): before, it has no bids to filter by.
    return findStatusAndLoanPage(context.em, Bid, { investorId: user.id }, args, {
      isKnown: async (loanId) => (await context.em.count(Funding, { loanId })) > 0,
      unknown: BidErrors.loanNeverOpened,
    });
  }

  @FieldResolver(() => AutoInvestRuleNode, {
    nullable: true,
    description:
      "The user's auto-invest rule, null when they have none: the user themself or an admin; null (with an " +
      'error) for anyone else.',
  })
  async autoInvest(
    @Root() user: UserReference,
    @Ctx() context: SubgraphContext<BidsServices>,
  ): Promise<AutoInvestRuleNode | null> {
    requireOwnerOrAdmin(context, user.id, "a user's auto-invest rule");
    const rule = await context.em.findOne(AutoInvestRule, { investorId: user.id });
    return rule === null ? null : toAutoInvestRuleNode(rule);
  }
}
