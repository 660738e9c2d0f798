import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { DepositoryStatus } from '../domain/account-status';
import { DepositoryStatusEnum } from './depository-status.enum';

/**
 * A user's account at the custodian bank; only its owner and admins may read it. Each field reads the
 * `DepositoryAccount` entity property of the same name (`balance` reads `balanceFen`); `cardNumber` is
 * resolved in depository-account.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('DepositoryAccount', {
  description:
    "A user's account at the custodian bank (bank depository): the money is there, and moves only on the " +
    "platform's signed instructions. Its owner and admins only.",
})
export class DepositoryAccountNode {
  @Field(() => ID, { description: "The account's id." })
  id!: string;

  @Field(() => String, { description: "The user's number at the bank." })
  userNo!: string;

  @Field(() => DepositoryStatusEnum, { description: 'Whether the account is open at the bank.' })
  status!: DepositoryStatus;

  @Field(() => String, {
    nullable: true,
    description: "The bound card's bank, e.g. ICBC; null before an opening is submitted.",
  })
  bankCode!: string | null;
}
