import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '@wanxin/platform';
import { quoteSchedule, type QuotedInstallment } from '../domain/schedule-quote';
import { currentBusinessDate } from '../operations/business-date';
import type { RepaymentsServices } from '../services';
import { InstallmentNode } from './installment.type';
import { ScheduleQuoteArgs } from './schedule-quote.args';

@Resolver(() => InstallmentNode)
export class ScheduleQuoteResolver {
  @Query(() => [InstallmentNode], {
    description: 'Public calculator: the schedule a loan with these terms would have; rows are not stored.',
  })
  async scheduleQuote(
    @Args(() => ScheduleQuoteArgs) args: ScheduleQuoteArgs,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<QuotedInstallment[]> {
    const startDate = args.startDate ?? (await currentBusinessDate(context.em));
    return quoteSchedule({
      amountFen: args.amount,
      annualRateMicros: args.annualRate,
      termMonths: args.termMonths,
      method: args.method,
      startDate,
    });
  }
}
