import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { MoneyScalar, type SubgraphContext } from '@wanxin/platform';
import { DepositoryAccount } from '../entities/depository-account.entity';
import type { DepositoryServices } from '../services';
import { balancesOf } from './depository-account.resolver';

/** The bids subgraph's `BidPreview`: this subgraph adds the viewer's available balance to it. */
@Directive('@key(fields: "id")')
@ObjectType('BidPreview')
export class BidPreviewBalanceNode {
  @Field(() => ID)
  id!: string;

  @Field(() => MoneyScalar, {
    name: 'availableBalance',
    nullable: true,
    description:
      "The signed-in investor's available balance in their depository account, as the bank reports it; " +
      'null for anyone else and while their account is not OPENED.',
  })
  availableBalanceFen!: bigint | null;
}

/**
 * `BidPreview` references: the balance is the viewer's own, and only for the investor the preview was made
 * for (its id ends with their user id), so a key cannot be used to read another user's balance.
 */
export async function resolveBidPreviewReference(
  reference: { id: string },
  context: SubgraphContext<DepositoryServices>,
): Promise<BidPreviewBalanceNode> {
  const { viewer } = context;
  const none = { id: reference.id, availableBalanceFen: null };
  if (viewer === null || viewer.role !== 'INVESTOR' || !reference.id.endsWith(`:${viewer.id}`)) return none;
  const account = await context.em.findOne(DepositoryAccount, { userId: viewer.id });
  if (account === null || account.status !== 'OPENED') return none;
  return { id: reference.id, availableBalanceFen: (await balancesOf(account, context)).availableFen };
}
