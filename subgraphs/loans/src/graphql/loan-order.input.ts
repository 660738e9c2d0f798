import { Field, InputType, registerEnumType } from 'type-graphql';
import type { LoanOrderField, SortDirection } from '../domain/loan-search';

/** GraphQL's view of the domain's order fields: the compiler checks it lists exactly them. */
export const LoanOrderFieldEnum = {
  CREATED_AT: 'CREATED_AT',
  AMOUNT: 'AMOUNT',
  RATE: 'RATE',
  TERM: 'TERM',
  PROGRESS: 'PROGRESS',
} as const satisfies { [Field in LoanOrderField]: Field };

registerEnumType(LoanOrderFieldEnum, {
  name: 'LoanOrderField',
  description: 'What the loans list is ordered by; loans that tie are ordered by id, in the same direction.',
  valuesConfig: {
    CREATED_AT: { description: 'When the loan was filed (createdAt).' },
    AMOUNT: { description: 'The amount asked for.' },
    RATE: { description: 'annualRate, what the borrower pays a year.' },
    TERM: { description: 'termMonths.' },
    PROGRESS: { description: "How much of the amount the bank has frozen for the loan's bids: funded / amount." },
  },
});

export const SortDirectionEnum = { ASC: 'ASC', DESC: 'DESC' } as const satisfies {
  [Direction in SortDirection]: Direction;
};

registerEnumType(SortDirectionEnum, {
  name: 'SortDirection',
  description: 'Smallest first (ASC) or largest first (DESC).',
  valuesConfig: {
    ASC: { description: 'Smallest (or earliest) first.' },
    DESC: { description: 'Largest (or latest) first.' },
  },
});

@InputType('LoanOrder', { description: 'An order of the loans list; its cursors are valid in that order only.' })
export class LoanOrderInput {
  @Field(() => LoanOrderFieldEnum, { description: 'What to order by.' })
  field!: LoanOrderField;

  @Field(() => SortDirectionEnum, { description: 'Which way.' })
  direction!: SortDirection;
}
