import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '@wanxin/platform';
import { UserNode } from './user.type';

@ObjectType('AuthPayload', { description: 'A signed-in session: what register and login return.' })
export class AuthPayload {
  @Field(() => String, { description: 'RS256 JWT: send as "Authorization: Bearer <token>".' })
  token!: string;

  @Field(() => DateTimeScalar, { description: 'Wall clock (UTC): when the token stops being accepted.' })
  expiresAt!: Date;

  @Field(() => UserNode, { description: 'The signed-in user.' })
  user!: UserNode;
}
