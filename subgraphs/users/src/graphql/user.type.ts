import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '@wanxin/platform';
import { RoleEnum } from './role.enum';

/** A platform user. `mobile`, `idNumber` and `realName` are resolved (and masked) in user.resolver.ts. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserNode {
  @Field(() => ID)
  id!: string;

  @Field(() => RoleEnum)
  role!: RoleEnum;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the user registered.' })
  createdAt!: Date;
}
