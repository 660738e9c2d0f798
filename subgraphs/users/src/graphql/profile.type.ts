import { Field, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar } from '@wanxin/platform';

@ObjectType('EmergencyContact', { description: 'Someone the platform may call when the user cannot be reached.' })
export class EmergencyContactNode {
  @Field(() => String, { description: "The contact's name." })
  name!: string;

  @Field(() => String, { description: 'How the contact relates to the user (父亲, 同事…).' })
  relation!: string;

  @Field(() => String, { description: "The contact's 11-digit mainland mobile number." })
  mobile!: string;
}

@ObjectType('Profile', {
  description: "A user's basic, work and contact information: what credit review and collection use.",
})
export class ProfileNode {
  @Field(() => String, { description: 'Highest education (e.g. BACHELOR).' })
  education!: string;

  @Field(() => String, { description: 'Home address.' })
  address!: string;

  @Field(() => String, { description: 'Email address.' })
  email!: string;

  @Field(() => String, { description: 'Employer.' })
  employer!: string;

  @Field(() => String, { description: 'Position at the employer.' })
  position!: string;

  @Field(() => MoneyScalar, { description: 'Monthly income.' })
  monthlyIncome!: bigint;

  @Field(() => [EmergencyContactNode], { description: 'One or two emergency contacts.' })
  emergencyContacts!: EmergencyContactNode[];

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the profile was last saved.' })
  updatedAt!: Date;
}

@InputType({ description: 'Someone the platform may call: name, relation and an 11-digit mobile other than yours.' })
export class EmergencyContactInput {
  @Field(() => String, { description: '1 to 50 characters.' })
  name!: string;

  @Field(() => String, { description: '1 to 20 characters.' })
  relation!: string;

  @Field(() => String, { description: '11-digit mainland mobile number, not your own.' })
  mobile!: string;
}

@InputType({ description: 'Your whole profile: every field is replaced.' })
export class ProfileInput {
  @Field(() => String, { description: '1 to 50 characters.' })
  education!: string;

  @Field(() => String, { description: '1 to 200 characters.' })
  address!: string;

  @Field(() => String, { description: 'An email address, at most 254 characters.' })
  email!: string;

  @Field(() => String, { description: '1 to 100 characters.' })
  employer!: string;

  @Field(() => String, { description: '1 to 50 characters.' })
  position!: string;

  @Field(() => MoneyScalar, { description: 'Monthly income, 0.00 to 10,000,000.00.' })
  monthlyIncome!: bigint;

  @Field(() => [EmergencyContactInput], { description: 'One or two contacts, with different mobiles.' })
  emergencyContacts!: EmergencyContactInput[];
}
