import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import {
  countersOfPeriods,
  DateScalar,
  overdueRateMicros,
  requireRole,
  statisticsPeriods,
  statisticsReferenceCounters,
  type DayCounters,
  type Granularity,
  type SubgraphContext,
} from '@wanxin/platform';
import { StatisticsDay } from '../entities/statistics-day.entity';
import type { RepaymentsServices } from '../services';
import { GranularityEnum, StatisticsRowNode } from './statistics.type';

type Context = SubgraphContext<RepaymentsServices>;

const COUNTERS = [
  'amountRepaidFen',
  'amountOverdueFen',
  'amountDueFen',
  'amountDueOverdueFen',
  'installmentsDue',
] as const;
type Counter = (typeof COUNTERS)[number];

function rowOf(period: string, sums: DayCounters<Counter>): StatisticsRowNode {
  return {
    period,
    ...sums,
    installmentsDue: Number(sums.installmentsDue),
    overdueRateMicros: overdueRateMicros(sums.amountDueOverdueFen, sums.amountDueFen),
  };
}

/** `StatisticsRow` references (the statistics query's rows, for the other subgraphs' sake): ADMIN only. */
export async function resolveStatisticsReference(
  reference: Record<string, unknown>,
  context: Context,
): Promise<StatisticsRowNode> {
  const { period, ...sums } = await statisticsReferenceCounters(reference, context, StatisticsDay, COUNTERS);
  return rowOf(period, sums);
}

/** The root of the statistics lives here, with the business clock its days are counted by. */
@Resolver(() => StatisticsRowNode)
export class StatisticsResolver {
  @Query(() => [StatisticsRowNode], {
    description:
      'ADMIN: one row per business day or month of [from, to], oldest first, a period where nothing happened ' +
      'included with zeros; a MONTH row counts its whole month; at most 1096 days from from to to. Read from the statistics read model, kept from events.',
  })
  async statistics(
    @Arg('from', () => DateScalar, { description: 'The first business day counted.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'The last business day counted (not before from).' }) to: string,
    @Arg('granularity', () => GranularityEnum, { description: 'A row per day or per month.' })
    granularity: Granularity,
    @Ctx() context: Context,
  ): Promise<StatisticsRowNode[]> {
    requireRole(context, ['ADMIN']);
    const periods = statisticsPeriods(from, to, granularity);
    const sums = await countersOfPeriods(context.em, StatisticsDay, periods, COUNTERS);
    return periods.map((period) => rowOf(period, sums.get(period)!));
  }
}
