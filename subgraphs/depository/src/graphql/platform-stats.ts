import { Directive, Field, ObjectType } from 'type-graphql';
import { DateScalar, parseCalendarDate, PlatformStatsKey, requireRole, type SubgraphContext } from '@wanxin/platform';
import { ReconciliationRun } from '../entities/reconciliation-run.entity';
import type { DepositoryServices } from '../services';

/** The depository subgraph's part of the admins' `PlatformStats`. */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats', {
  description: "ADMIN: the platform's figures for a dashboard; the daily ones count the business day `date`.",
})
export class PlatformStatsNode extends PlatformStatsKey {
  @Field(() => DateScalar, {
    nullable: true,
    description: 'The newest business day whose reconciliation completed (reconciliationRuns); null before any.',
  })
  lastReconciledDate!: string | null;
}

/** `PlatformStats` references (the platformStats query and subscription): ADMIN only. */
export async function resolvePlatformStatsReference(
  reference: Record<string, unknown>,
  context: SubgraphContext<DepositoryServices>,
): Promise<PlatformStatsNode> {
  requireRole(context, ['ADMIN']);
  const last = await context.em.findOne(
    ReconciliationRun,
    { completedAt: { $ne: null } },
    { orderBy: { date: 'desc' }, fields: ['date'] },
  );
  return { date: parseCalendarDate(String(reference.date)), lastReconciledDate: last?.date ?? null };
}
