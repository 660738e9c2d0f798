import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CommonErrors, DateScalar, isId, requireRole, type SubgraphContext } from '@wanxin/platform';
import { Reminder } from '../entities/reminder.entity';
import { runDailyJobs, type JobReport } from '../jobs/daily-run';
import { currentBusinessDate } from '../operations/business-date';
import type { RepaymentsServices } from '../services';
import { JobReportNode } from './job-report.type';
import { ReminderNode } from './reminder.type';

type Context = SubgraphContext<RepaymentsServices>;

/** A loan has at most 36 installments and 4 kinds of reminder each. */
const LOAN_REMINDERS_MAX = 36 * 4;

@Resolver()
export class DailyJobsResolver {
  @Query(() => DateScalar, { description: 'The business date: the last day whose daily jobs have run.' })
  businessDate(@Ctx() context: Context): Promise<string> {
    return currentBusinessDate(context.em);
  }

  @Mutation(() => JobReportNode, {
    description:
      'ADMIN: moves the business date forward to `date` (never back) and runs every daily job for each day up to it; `date` equal to the business date runs that day again.',
  })
  runDailyJobs(
    @Arg('date', () => DateScalar, { description: 'The day to run up to: the business date or a later day.' })
    date: string,
    @Ctx() context: Context,
  ): Promise<JobReport> {
    requireRole(context, ['ADMIN']);
    return runDailyJobs(context.em, context.services, date, new Date());
  }

  @Query(() => [ReminderNode], { description: "ADMIN: a loan's reminders and collection tasks, oldest first." })
  reminders(
    @Arg('loanId', () => ID, { description: 'The loan.' }) loanId: string,
    @Ctx() context: Context,
  ): Promise<Reminder[]> {
    requireRole(context, ['ADMIN']);
    if (!isId(loanId)) throw CommonErrors.notFound('Loan', loanId);
    return context.em.find(
      Reminder,
      { loanId },
      { orderBy: { businessDate: 'asc', kind: 'asc' }, limit: LOAN_REMINDERS_MAX },
    );
  }
}
