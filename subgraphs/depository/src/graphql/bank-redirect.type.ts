import { Field, ObjectType } from 'type-graphql';

@ObjectType('FormField')
export class FormFieldNode {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType('BankRedirect', {
  description: 'POST `fields` as application/x-www-form-urlencoded to `url`, plus `password` (the trade password).',
})
export class BankRedirectNode {
  @Field(() => String)
  url!: string;

  @Field(() => String)
  method!: string;

  @Field(() => [FormFieldNode])
  fields!: FormFieldNode[];

  @Field(() => String)
  requestNo!: string;
}
