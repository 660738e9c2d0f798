import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '@wanxin/platform';

/** What one `runDailyJobs` did, summed over the days it ran. Reads the JobReport of jobs/daily-run.ts. */
@ObjectType('JobReport', { description: 'What one runDailyJobs did, summed over the days it ran.' })
export class JobReportNode {
  @Field(() => DateScalar, { description: 'The business date after the run.' })
  businessDate!: string;

  @Field(() => Int, {
    description: 'Days run: each day after the previous business date up to `date`, or that day again.',
  })
  daysRun!: number;

  @Field(() => Int, { description: 'Installments collected from their borrowers.' })
  installmentsRepaid!: number;

  @Field(() => Int, {
    description: 'Freezes the bank refused for want of money: those installments are, or will be, OVERDUE.',
  })
  collectionsRefused!: number;

  @Field(() => Int, { description: 'Freezes the bank has not answered yet: retried until it does.' })
  collectionsUnanswered!: number;

  @Field(() => Int, { description: 'Installments OVERDUE once the run is done.' })
  installmentsOverdue!: number;

  @Field(() => Int, { description: 'Reminders and collection tasks created (see reminders).' })
  remindersCreated!: number;

  @Field(() => Int, { description: 'Loans whose last installment was repaid: now SETTLED.' })
  loansSettled!: number;

  @Field(() => Int, {
    description: 'Collection cases opened: loans overdue for the first time since they were current.',
  })
  collectionCasesOpened!: number;

  @Field(() => Int, { description: 'Collection cases closed by the run: their loans are current again.' })
  collectionCasesClosed!: number;

  @Field(() => Int, { description: 'Collection cases OPEN once the run is done.' })
  collectionCasesOpen!: number;

  @Field(() => Int, {
    description:
      'Installments not sent because other work on their loan (a sale of a holding, an earlier collection) stayed at the bank through the retries: the next run collects them.',
  })
  collectionsBusy!: number;
}
