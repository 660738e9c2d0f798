import { Field, ID, Int, ObjectType } from 'type-graphql';
import { connectionType, DateScalar, DateTimeScalar, MoneyScalar, registerDescribedEnum } from '@wanxin/platform';
import type { CollectionCaseStatus, CollectionSeverity, CollectionStage } from '../domain/collection-case';

export const CollectionCaseStatusEnum = registerDescribedEnum<CollectionCaseStatus>(
  'CollectionCaseStatus',
  'OPEN while the loan has an overdue installment; CLOSED once it is current again.',
  { OPEN: 'The loan has an overdue installment.', CLOSED: 'The loan is current again.' },
);
export const CollectionStageEnum = registerDescribedEnum<CollectionStage>(
  'CollectionStage',
  "By the oldest overdue installment's days: SMS on days 1–2, a staff call from day 3, the emergency contact from day 30.",
  {
    SMS: 'Overdue days 1–2: SMS reminders.',
    STAFF_CALL: 'From overdue day 3: staff call the borrower.',
    EMERGENCY_CONTACT: "From overdue day 30: staff call the borrower's emergency contact.",
  },
);
export const CollectionSeverityEnum = registerDescribedEnum<CollectionSeverity>(
  'CollectionSeverity',
  'RED from 5 days overdue: the row staff flag first.',
  { NORMAL: 'Under 5 days overdue.', RED: '5 days overdue or more.' },
);

/** Reads entities/collection-note.entity.ts; `author` is resolved in collection-case.resolver.ts. */
@ObjectType('CollectionNote', { description: 'What staff noted on a case: a call, a promise to pay.' })
export class CollectionNoteNode {
  @Field(() => ID, { description: "The note's id." })
  id!: string;

  @Field(() => String, { description: 'What staff wrote.' })
  note!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The date the borrower promised to pay, if any.' })
  promisedDate!: string | null;

  @Field(() => DateScalar, { description: 'The business date it was written on.' })
  businessDate!: string;

  @Field(() => DateTimeScalar, { description: 'When it was written, by the wall clock.' })
  createdAt!: Date;
}

/** Reads entities/collection-case.entity.ts; `loan`, `borrower` and `notes` are resolved in collection-case.resolver.ts. */
@ObjectType('CollectionCase', { description: "A loan in collection (催收): the staff's workbench row." })
export class CollectionCaseNode {
  @Field(() => ID, { description: "The case's id." })
  id!: string;

  @Field(() => CollectionCaseStatusEnum, { description: 'OPEN while the loan is overdue.' })
  status!: CollectionCaseStatus;

  @Field(() => CollectionStageEnum, { description: 'What staff do now, by overdue days.' })
  stage!: CollectionStage;

  @Field(() => CollectionSeverityEnum, { description: 'RED from 5 days overdue.' })
  severity!: CollectionSeverity;

  @Field(() => Int, { description: "The oldest overdue installment's days past due, as of the last nightly run." })
  overdueDays!: number;

  @Field(() => DateScalar, { description: "That installment's due date: the list's order, oldest first." })
  overdueSince!: string;

  @Field(() => MoneyScalar, {
    name: 'overdueAmount',
    description: 'Σ amount + penalty of the overdue installments, as of the last nightly run.',
  })
  overdueAmountFen!: bigint;

  @Field(() => DateScalar, { description: 'The business date the nightly run opened it.' })
  openedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The business date the loan was current again.' })
  closedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "The latest note's promised date to pay." })
  promisedDate!: string | null;
}

/** `CollectionCaseConnection`: pages of cases, the oldest overdue first. */
export const CollectionCaseConnection = connectionType('CollectionCase', CollectionCaseNode);
