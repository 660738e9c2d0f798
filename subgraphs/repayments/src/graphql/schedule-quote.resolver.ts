import { Args, Query, Resolver } from 'type-graphql';
import { quoteSchedule, type QuotedInstallment } from '../domain/schedule-quote';
import { InstallmentNode } from './installment.type';
import { ScheduleQuoteArgs } from './schedule-quote.args';

/** Today's date in UTC, 'YYYY-MM-DD'. */
function todayUtcDate(): string {
  return new Date().toISOString().slice(0, 10);
}

@Resolver(() => InstallmentNode)
export class ScheduleQuoteResolver {
  @Query(() => [InstallmentNode], { description: 'Public calculator: the schedule a loan with these terms would have; rows are not stored.' })
  scheduleQuote(@Args(() => ScheduleQuoteArgs) args: ScheduleQuoteArgs): QuotedInstallment[] {
    // The contract defaults to the business date; until the daily run brings one, today's UTC date stands in.
    const startDate = args.startDate ?? todayUtcDate();
    return quoteSchedule({ amountFen: args.amount, annualRateMicros: args.annualRate, termMonths: args.termMonths, method: args.method, startDate });
  }
}
