import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The bids subgraph's `Bid`, by key only: this subgraph points at bids and resolves none. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Bid')
export class BidReference {
  @Field(() => ID)
  id!: string;
}
