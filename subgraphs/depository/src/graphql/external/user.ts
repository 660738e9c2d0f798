import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The users subgraph's `User`, by key only: this subgraph adds `depositoryAccount` to it. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserReference {
  @Field(() => ID)
  id!: string;
}
