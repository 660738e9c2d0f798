import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { MoneyScalar, statisticsReferenceCounters, StatisticsKey, type SubgraphContext } from '@wanxin/platform';
import { StatisticsDay } from '../entities/statistics-day.entity';
import type { LoansServices } from '../services';

/** The loans subgraph's part of the admins' `StatisticsRow` (users and repayments each add theirs). */
@Directive('@key(fields: "period")')
@ObjectType('StatisticsRow')
export class StatisticsRowNode extends StatisticsKey {
  @Field(() => Int, { description: 'Loans opened for bids in the period (approved and registered at the bank).' })
  loansPublished!: number;

  @Field(() => MoneyScalar, {
    name: 'amountFunded',
    description: 'Principal paid out to borrowers in the period (fully funded loans disbursed).',
  })
  amountFundedFen!: bigint;
}

/** `StatisticsRow` references (the statistics query's rows, whose root is repayments'): ADMIN only, batched. */
export async function resolveStatisticsReference(
  reference: Record<string, unknown>,
  context: SubgraphContext<LoansServices>,
): Promise<StatisticsRowNode> {
  const { period, loansPublished, amountFundedFen } = await statisticsReferenceCounters(
    reference,
    context,
    StatisticsDay,
    ['loansPublished', 'amountFundedFen'],
  );
  return { period, loansPublished: Number(loansPublished), amountFundedFen };
}
