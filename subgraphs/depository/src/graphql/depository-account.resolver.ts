import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { MoneyScalar, type SubgraphContext } from '@wanxin/platform';
import { refreshBalance, type Balances } from '../agent/bank-results';
import { visibleCardNumber } from '../domain/card-number';
import type { DepositoryAccount } from '../entities/depository-account.entity';
import type { DepositoryServices } from '../services';
import { DepositoryAccountNode } from './depository-account.type';

type Context = SubgraphContext<DepositoryServices>;

/**
 * The bank's ledger is the truth: an opened account's figures are asked of the bank once per request
 * (payouts and repayments move money without telling the agent); if the bank does not answer, the last
 * figures it gave are shown.
 */
export function balancesOf(account: DepositoryAccount, context: Context): Promise<Balances> {
  const { orm, bank, logger } = context.services;
  return context.loaders
    .get<DepositoryAccount, Balances>('bank-balances', (accounts) =>
      Promise.all(
        accounts.map(
          async (each) =>
            (await refreshBalance(orm, bank, each.userId, logger)) ?? {
              availableFen: each.balanceFen,
              frozenFen: each.frozenFen,
            },
        ),
      ),
    )
    .load(account);
}

@Resolver(() => DepositoryAccountNode)
export class DepositoryAccountResolver {
  @FieldResolver(() => MoneyScalar, { description: 'What the holder can move now, as the bank reports it.' })
  async balance(@Root() account: DepositoryAccount, @Ctx() context: Context): Promise<bigint> {
    return (await balancesOf(account, context)).availableFen;
  }

  @FieldResolver(() => MoneyScalar, { description: 'What is frozen for bids and repayments, as the bank reports it.' })
  async frozen(@Root() account: DepositoryAccount, @Ctx() context: Context): Promise<bigint> {
    return (await balancesOf(account, context)).frozenFen;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The bound bank card: masked to anyone but its owner and admins.',
  })
  cardNumber(@Root() account: DepositoryAccount, @Ctx() context: Context): string | null {
    return visibleCardNumber(context.viewer, account.userId, account.cardNumber);
  }
}
