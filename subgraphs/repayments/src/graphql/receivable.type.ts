import { Field, ID, ObjectType } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';
import type { ReceivableStatus } from '../domain/receivable-status';
import { ReceivableStatusEnum } from './receivable-status.enum';

/**
 * One investor's share of one installment, for one bid. Each field reads the `Receivable` entity
 * property of the same name; `bid` and `installment` are resolved in receivable.resolver.ts.
 */
@ObjectType('Receivable', {
  description:
    "One investor's share of one installment, for one bid: what the bank pays the investor when the borrower " +
    'repays that installment. Read through User.receivables: the investor themself or an admin.',
})
export class ReceivableNode {
  @Field(() => ID, { description: "The receivable's id." })
  id!: string;

  @Field(() => MoneyScalar, { name: 'principal', description: "The investor's share of the installment's principal." })
  principalFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'interest',
    description: "The investor's interest, at the loan's investor rate; the rest is the platform's commission.",
  })
  interestFen!: bigint;

  @Field(() => MoneyScalar, { name: 'penalty', description: "Its share of a late installment's penalty." })
  penaltyFen!: bigint;

  @Field(() => ReceivableStatusEnum, { description: 'Whether the investor has been paid.' })
  status!: ReceivableStatus;
}
