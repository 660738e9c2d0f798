import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType, DateScalar, MoneyScalar } from '@wanxin/platform';
import { StatementKindEnum } from './statement-kind.enum';

/** One posting on a user's depository account, as the bank made it. */
@ObjectType('StatementEntry', {
  description:
    "One movement of a user's money at the bank, from the bank's confirmed answer. For every user: " +
    'Σ amount = available + frozen at the bank, and each balanceAfter is the available balance the bank ' +
    'reported after the entry.',
})
export class StatementEntryNode {
  @Field(() => ID, { description: "The entry's id." })
  id!: string;

  @Field(() => DateScalar, { description: 'The business date the instruction was booked on.' })
  businessDate!: string;

  @Field(() => StatementKindEnum, { description: 'What moved the money, in business terms.' })
  kind!: string;

  @Field(() => MoneyScalar, {
    name: 'amount',
    description:
      "Signed, money in positive: what the entry changed of the user's money at the bank (available + " +
      'frozen). A freeze or a release moves money between available and frozen and its amount is 0.00.',
  })
  amountFen!: bigint;

  @Field(() => MoneyScalar, { name: 'balanceAfter', description: 'The available balance after the entry.' })
  availableAfterFen!: bigint;

  @Field(() => MoneyScalar, { name: 'availableChange', description: 'Signed change of the available balance.' })
  availableChangeFen!: bigint;

  @Field(() => MoneyScalar, { name: 'frozenChange', description: 'Signed change of the frozen balance.' })
  frozenChangeFen!: bigint;

  @Field(() => MoneyScalar, { name: 'frozenAfter', description: 'The frozen balance after the entry.' })
  frozenAfterFen!: bigint;

  @Field(() => String, {
    description: 'The loan number for what concerns a loan, the request number for a recharge or withdrawal.',
  })
  reference!: string;

  @Field(() => String, { description: "The bank instruction's number." })
  requestNo!: string;

  @Field(() => MoneyScalar, { name: 'principal', nullable: true, description: "A receipt's principal." })
  principalFen!: bigint | null;

  @Field(() => MoneyScalar, {
    name: 'interest',
    nullable: true,
    description: "A receipt's interest, overdue penalty included.",
  })
  interestFen!: bigint | null;
}

export const StatementConnection = connectionType('Statement', StatementEntryNode);
