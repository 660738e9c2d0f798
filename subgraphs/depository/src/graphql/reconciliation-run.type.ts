import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '@wanxin/platform';
import { ReconciliationSummaryFields } from './reconciliation.type';

/** Reads the `ReconciliationRun` entity: each field the property of the same name (`platformAmount` reads `platformAmountFen`). */
@ObjectType('ReconciliationRun', {
  description:
    'The reconciliation stored for a business day: made when the business date reaches the day, run once the day is over; counts are 0 until completedAt.',
})
export class ReconciliationRunNode extends ReconciliationSummaryFields {
  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the business date reached the day.' })
  requestedAt!: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Wall-clock audit stamp (UTC): when the run completed; null while the business day is not over or the bank has not answered.',
  })
  completedAt!: Date | null;
}
