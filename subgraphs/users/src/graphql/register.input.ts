import { Field, InputType } from 'type-graphql';
import { RoleEnum } from './role.enum';

@InputType({ description: 'A new account: the mobile number signs in, the role decides what the user may do.' })
export class RegisterInput {
  @Field(() => String, { description: '11-digit mainland mobile number.' })
  mobile!: string;

  @Field(() => String, { description: '8 to 64 characters with a letter and a digit.' })
  password!: string;

  @Field(() => RoleEnum, { description: 'BORROWER or INVESTOR; admins are created with createAdmin.' })
  role!: RoleEnum;

  @Field(() => String, {
    nullable: true,
    description: 'The six digits sent to the mobile by requestSmsCode: required when the platform checks mobiles.',
  })
  smsCode?: string | null;
}
