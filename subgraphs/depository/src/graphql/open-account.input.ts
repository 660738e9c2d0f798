import { Field, InputType } from 'type-graphql';

@InputType({ description: "What opening a depository account needs: the holder's identity and the bank card to bind." })
export class OpenAccountInput {
  @Field(() => String, { description: 'The holder’s name as on the ID card.' })
  realName!: string;

  @Field(() => String, { description: '18-character resident ID number (checksum verified).' })
  idNumber!: string;

  @Field(() => String, { description: 'The card’s bank, e.g. ICBC.' })
  bankCode!: string;

  @Field(() => String, { description: '12 to 19 digits.' })
  cardNumber!: string;

  @Field(() => String, { description: 'The mobile number the card is registered with.' })
  cardMobile!: string;
}
