import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The loans subgraph's `Loan`, by key only: this subgraph adds `schedule` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Loan')
export class LoanReference {
  @Field(() => ID)
  id!: string;
}
