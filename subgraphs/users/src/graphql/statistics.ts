import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { statisticsReferenceCounters, StatisticsKey, type SubgraphContext } from '@wanxin/platform';
import { StatisticsDay } from '../entities/statistics-day.entity';
import type { UsersServices } from '../services';

/** The users subgraph's part of the admins' `StatisticsRow` (loans and repayments each add theirs). */
@Directive('@key(fields: "period")')
@ObjectType('StatisticsRow')
export class StatisticsRowNode extends StatisticsKey {
  @Field(() => Int, { description: 'Accounts registered in the period, whatever their role.' })
  newUsers!: number;
}

/** `StatisticsRow` references (the statistics query's rows, whose root is repayments'): ADMIN only, batched. */
export async function resolveStatisticsReference(
  reference: Record<string, unknown>,
  context: SubgraphContext<UsersServices>,
): Promise<StatisticsRowNode> {
  const { period, newUsers } = await statisticsReferenceCounters(reference, context, StatisticsDay, ['newUsers']);
  return { period, newUsers: Number(newUsers) };
}
