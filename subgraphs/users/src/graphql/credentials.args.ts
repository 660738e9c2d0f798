import { ArgsType, Field } from 'type-graphql';

@ArgsType()
export class CredentialsArgs {
  @Field(() => String, { description: '11-digit mainland mobile number.' })
  mobile!: string;

  @Field(() => String)
  password!: string;
}
