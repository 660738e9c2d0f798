import { Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MoneyScalar, RateScalar, StatisticsKey, type Granularity } from '@wanxin/platform';

/** GraphQL's view of `Granularity`: the compiler checks that it lists exactly the platform's. */
export const GranularityEnum = {
  DAY: 'DAY',
  MONTH: 'MONTH',
} as const satisfies { [Value in Granularity]: Value };

registerEnumType(GranularityEnum, {
  name: 'Granularity',
  description: 'How `statistics` cuts its range: one row per business day or per month.',
  valuesConfig: {
    DAY: { description: 'One row per business day, period YYYY-MM-DD.' },
    MONTH: { description: 'One row per month, period YYYY-MM: the sum of its days, the whole month.' },
  },
});

/** The repayments subgraph's part of the admins' `StatisticsRow` (users and loans each add theirs). */
@Directive('@key(fields: "period")')
@ObjectType('StatisticsRow', {
  description:
    'ADMIN: what happened on the platform in one business day or month, each fact counted on the business ' +
    'date (the business clock, not the wall clock) at which it happened.',
})
export class StatisticsRowNode extends StatisticsKey {
  @Field(() => MoneyScalar, {
    name: 'amountRepaid',
    description: 'Repaid by borrowers: principal + interest + penalty of installments repaid (on time, late or early).',
  })
  amountRepaidFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'amountOverdue',
    description: 'Principal + interest of the installments that fell OVERDUE in the period (their overdue day 1).',
  })
  amountOverdueFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'amountDue',
    description:
      'Principal + interest of the installments whose due date is in the period, counted once that day has run.',
  })
  amountDueFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'amountDueOverdue',
    description:
      'Of amountDue, principal + interest of the installments that have since fallen OVERDUE: what was not paid ' +
      'by its due date (a due day is known the day after, when its unpaid installments fall overdue).',
  })
  amountDueOverdueFen!: bigint;

  @Field(() => Int, { description: 'The installments whose due date is in the period (those of amountDue).' })
  installmentsDue!: number;

  @Field(() => RateScalar, {
    name: 'overdueRate',
    description:
      'The overdue rate: amountDueOverdue ÷ amountDue, the share of what fell due in the period that was not ' +
      'paid by its due date, rounded half up to millionths, 0 when nothing fell due.',
  })
  overdueRateMicros!: number;
}
