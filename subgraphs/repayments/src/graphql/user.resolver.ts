import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { findPage, PageArgs, requireOwnerOrAdmin, type Connection, type SubgraphContext } from '@wanxin/platform';
import { Receivable } from '../entities/receivable.entity';
import type { RepaymentsServices } from '../services';
import { UserReference } from './external/user';
import { ReceivableConnection } from './receivable-connection.type';

/** What the repayments subgraph adds to `User`. */
@Resolver(() => UserReference)
export class UserReceivablesResolver {
  // Nullable: anyone else gets null and an error at this field, and the rest of the answer stays.
  @FieldResolver(() => ReceivableConnection, {
    nullable: true,
    description:
      "The user's receivables as investor, newest first: the user themself or an admin; null (with an error) for anyone else.",
  })
  receivables(
    @Root() user: UserReference,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<Connection<Receivable>> {
    requireOwnerOrAdmin(context, user.id, "a user's receivables");
    return findPage(context.em, Receivable, { investorId: user.id }, page);
  }
}
