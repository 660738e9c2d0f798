import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@wanxin/platform';
import type { IdentityStatus } from '../domain/identity-check';

/** GraphQL's view of domain/identity-check.ts's IDENTITY_STATUSES (the same strings). */
export enum IdentityStatusEnum {
  PENDING = 'PENDING',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
}
registerEnumType(IdentityStatusEnum, {
  name: 'IdentityStatus',
  description: 'PENDING until the identity provider answers; then VERIFIED or REJECTED, once.',
  valuesConfig: {
    PENDING: { description: 'Sent to the identity provider (or being sent); its answer has not arrived.' },
    VERIFIED: { description: 'The provider confirmed the real name and ID number: they are now the user’s.' },
    REJECTED: { description: 'The provider refused the check, or it could not be sent; the user may try again.' },
  },
});

@ObjectType('IdentityCheck', {
  description: "A user's identity check by the identity provider. The platform keeps no image, only their SHA-256.",
})
export class IdentityCheckNode {
  @Field(() => IdentityStatusEnum, { description: 'Where the check stands.' })
  status!: IdentityStatus;

  @Field(() => String, { description: 'The name sent: masked (王**) to anyone but the user and admins.' })
  realName!: string;

  @Field(() => String, {
    description: 'The ID number sent: masked (1101**********1234) to anyone but the user and admins.',
  })
  idNumber!: string;

  @Field(() => String, {
    nullable: true,
    description: "Why it was REJECTED: the provider's reason, or NOT_SENT when the provider never took it; else null.",
  })
  reason!: string | null;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the check was started.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the provider decided; null while PENDING.' })
  settledAt!: Date | null;
}

@InputType({ description: 'Your real name, ID number and three photographs (base64 JPEG or PNG, ≤ 2 MiB each).' })
export class IdentityInput {
  @Field(() => String, { description: 'As on the ID card, 2 to 50 letters.' })
  realName!: string;

  @Field(() => String, { description: '18-character resident ID number; its holder is 18 to 70 years old.' })
  idNumber!: string;

  @Field(() => String, { description: 'The ID card front: base64 (padded, no data: prefix) of a JPEG or PNG.' })
  idFrontImage!: string;

  @Field(() => String, { description: 'The ID card back: base64 of a JPEG or PNG.' })
  idBackImage!: string;

  @Field(() => String, { description: 'A photograph of your face: base64 of a JPEG or PNG.' })
  faceImage!: string;
}
