import { Field, InputType } from 'type-graphql';

@InputType({
  description:
    'What opening a depository account needs: the bank card to bind. The account holder is always the verified identity.',
})
export class OpenAccountInput {
  @Field(() => String, {
    nullable: true,
    description: 'Optional: when given, it must be the verified identity’s name (verifyIdentity).',
  })
  realName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Optional: when given, it must be the verified identity’s ID number.',
  })
  idNumber?: string | null;

  @Field(() => String, { description: 'The card’s bank, e.g. ICBC.' })
  bankCode!: string;

  @Field(() => String, { description: '12 to 19 digits.' })
  cardNumber!: string;

  @Field(() => String, { description: 'The mobile number the card is registered with.' })
  cardMobile!: string;
}
