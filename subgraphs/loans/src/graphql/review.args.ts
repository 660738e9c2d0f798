import { ArgsType, Field, ID } from 'type-graphql';

/** reviewLoan's and reviewFullLoan's arguments, in the contract's order. */
@ArgsType()
export class ReviewArgs {
  @Field(() => ID, { description: "The loan's id." })
  id!: string;

  @Field(() => Boolean, { description: 'True to approve; false to refuse, with a reason.' })
  approve!: boolean;

  @Field(() => String, { nullable: true, description: 'Required to refuse: 1 to 500 characters.' })
  reason?: string | null;
}
