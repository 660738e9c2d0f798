import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateScalar, PageArgs, requireOwnerOrAdmin, type Connection, type SubgraphContext } from '@wanxin/platform';
import type { StatementEntry } from '../entities/statement-entry.entity';
import { statementPage } from '../operations/statement';
import { DepositoryAccount } from '../entities/depository-account.entity';
import type { DepositoryServices } from '../services';
import { DepositoryAccountNode } from './depository-account.type';
import { UserReference } from './external/user';
import { StatementConnection } from './statement-entry.type';

@ArgsType()
class StatementArgs extends PageArgs {
  @Field(() => DateScalar, { nullable: true, description: 'The first business day to list (default: from the start).' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The last business day to list (default: to today).' })
  to?: string | null;
}

/** What the depository subgraph adds to `User`. */
@Resolver(() => UserReference)
export class UserDepositoryResolver {
  /** Batched: a page of users loads their accounts with one query. */
  @FieldResolver(() => DepositoryAccountNode, {
    nullable: true,
    description:
      "The user's account at the bank, or null before they start opening one: the user themself or an admin.",
  })
  depositoryAccount(
    @Root() user: UserReference,
    @Ctx() context: SubgraphContext<DepositoryServices>,
  ): Promise<DepositoryAccount | null> {
    requireOwnerOrAdmin(context, user.id, "a user's depository account");
    return context.loaders.byColumn(DepositoryAccount, 'userId').load(user.id);
  }

  @FieldResolver(() => StatementConnection, {
    description:
      "Every movement of the user's money at the bank, newest first, from the bank's confirmed answers: the " +
      'user themself or an admin.',
  })
  statement(
    @Root() user: UserReference,
    @Args(() => StatementArgs) args: StatementArgs,
    @Ctx() context: SubgraphContext<DepositoryServices>,
  ): Promise<Connection<StatementEntry>> {
    requireOwnerOrAdmin(context, user.id, "a user's statement");
    return statementPage(context.em, user.id, { from: args.from ?? null, to: args.to ?? null }, args);
  }
}
