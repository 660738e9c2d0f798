import { Field, ObjectType } from 'type-graphql';

@ObjectType('FormField', { description: 'One field of the form a BankRedirect posts.' })
export class FormFieldNode {
  @Field(() => String, { description: "The field's name." })
  name!: string;

  @Field(() => String, { description: 'Its value, to post unchanged (the form is signed).' })
  value!: string;
}

@ObjectType('BankRedirect', {
  description: 'POST `fields` as application/x-www-form-urlencoded to `url`, plus `password` (the trade password).',
})
export class BankRedirectNode {
  @Field(() => String, { description: "The custodian bank's page to post the form to." })
  url!: string;

  @Field(() => String, { description: 'The HTTP method to use: POST.' })
  method!: string;

  @Field(() => [FormFieldNode], { description: 'The signed request, as form fields to post unchanged.' })
  fields!: FormFieldNode[];

  @Field(() => String, {
    description: "The instruction's number, shared with the bank; its outcome shows in depositoryTransactions.",
  })
  requestNo!: string;
}
