import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The loans subgraph's `Loan`, by key only: this subgraph points at loans and resolves none. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Loan')
export class LoanReference {
  @Field(() => ID)
  id!: string;
}
