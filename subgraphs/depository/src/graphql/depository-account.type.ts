import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';
import type { DepositoryStatus } from '../domain/account-status';
import { DepositoryStatusEnum } from './depository-status.enum';

/**
 * A user's account at the custodian bank; only its owner and admins may read it. Each field reads the
 * `DepositoryAccount` entity property of the same name (`balance` reads `balanceFen`); `cardNumber` is
 * resolved in depository-account.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('DepositoryAccount')
export class DepositoryAccountNode {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  userNo!: string;

  @Field(() => DepositoryStatusEnum)
  status!: DepositoryStatus;

  @Field(() => MoneyScalar, { name: 'balance', description: "The bank's last reported balance." })
  balanceFen!: bigint;

  @Field(() => MoneyScalar, { name: 'frozen', description: "The bank's last reported frozen amount." })
  frozenFen!: bigint;

  @Field(() => String, { nullable: true })
  bankCode!: string | null;
}
