import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { parseCalendarDate, PlatformStatsKey, requireRole, type SubgraphContext } from '@wanxin/platform';
import { CreditApplication } from '../entities/credit-application.entity';
import type { UsersServices } from '../services';

/** The users subgraph's part of the admins' `PlatformStats`. */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats', {
  description: "ADMIN: the platform's figures for a dashboard; the daily ones count the business day `date`.",
})
export class PlatformStatsNode extends PlatformStatsKey {
  @Field(() => Int, {
    description: 'Credit applications being decided now: waiting for review or for the risk provider.',
  })
  creditApplicationsPending!: number;
}

/** `PlatformStats` references (the platformStats query and subscription): ADMIN only. */
export async function resolvePlatformStatsReference(
  reference: Record<string, unknown>,
  context: SubgraphContext<UsersServices>,
): Promise<PlatformStatsNode> {
  requireRole(context, ['ADMIN']);
  const creditApplicationsPending = await context.em.count(CreditApplication, {
    status: { $in: ['SUBMITTED', 'RISK_PENDING'] },
  });
  return { date: parseCalendarDate(String(reference.date)), creditApplicationsPending };
}
