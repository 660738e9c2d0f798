import { ArgsType, Field } from 'type-graphql';

@ArgsType()
export class CredentialsArgs {
  @Field(() => String, { description: '11-digit mainland mobile number.' })
  mobile!: string;

  @Field(() => String, {
    description: "The account's password; a new one is 8 to 64 characters with a letter and a digit.",
  })
  password!: string;
}
