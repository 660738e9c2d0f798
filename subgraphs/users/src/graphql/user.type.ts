import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { connectionType, DateTimeScalar } from '@wanxin/platform';
import { RoleEnum } from './role.enum';

/** A platform user. `mobile`, `idNumber` and `realName` are resolved (and masked) in user.resolver.ts. */
@Directive('@key(fields: "id")')
@ObjectType('User', {
  description: 'A platform user: a borrower, an investor or an admin. Each private field says who may read it in full.',
})
export class UserNode {
  @Field(() => ID, { description: "The user's id." })
  id!: string;

  @Field(() => RoleEnum, { description: 'What the user may do on the platform.' })
  role!: RoleEnum;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the user registered.' })
  createdAt!: Date;
}

export const UserConnection = connectionType('User', UserNode);
