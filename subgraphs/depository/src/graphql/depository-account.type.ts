import { Directive, Field, ID, ObjectType } from 'type-graphql';
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

  @Field(() => String, { nullable: true })
  bankCode!: string | null;
}
