import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireOwnerOrAdmin, type SubgraphContext } from '@wanxin/platform';
import { DepositoryAccount } from '../entities/depository-account.entity';
import type { DepositoryServices } from '../services';
import { DepositoryAccountNode } from './depository-account.type';
import { UserReference } from './external/user';

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
}
