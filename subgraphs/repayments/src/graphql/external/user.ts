import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { RoleEnum } from '@wanxin/platform';

/** The users subgraph's `User`, by key: this subgraph adds `receivables`, `portfolio` and `borrowing` to it. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserReference {
  @Field(() => ID)
  id!: string;

  /** Owned by users; the gateway fetches it for the fields that require it (a portfolio is an investor's only). */
  @Directive('@external')
  @Field(() => RoleEnum)
  role?: RoleEnum;
}
