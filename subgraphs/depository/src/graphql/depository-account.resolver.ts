import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '@wanxin/platform';
import { visibleCardNumber } from '../domain/card-number';
import type { DepositoryAccount } from '../entities/depository-account.entity';
import type { DepositoryServices } from '../services';
import { DepositoryAccountNode } from './depository-account.type';

@Resolver(() => DepositoryAccountNode)
export class DepositoryAccountResolver {
  @FieldResolver(() => String, { nullable: true, description: 'The bound bank card: masked to anyone but its owner and admins.' })
  cardNumber(@Root() account: DepositoryAccount, @Ctx() context: SubgraphContext<DepositoryServices>): string | null {
    return visibleCardNumber(context.viewer, account.userId, account.cardNumber);
  }
}
