import { Ctx, Query, Resolver } from 'type-graphql';
import { parseCalendarDate, requireRole, type EntityManager, type SubgraphContext } from '@wanxin/platform';
import { Installment } from '../entities/installment.entity';
import { currentBusinessDate } from '../operations/business-date';
import type { RepaymentsServices } from '../services';
import { PlatformStatsNode } from './platform-stats.type';

type Context = SubgraphContext<RepaymentsServices>;

async function installmentStats(em: EntityManager, date: string): Promise<PlatformStatsNode> {
  const [installmentsDueToday, installmentsOverdue] = await Promise.all([
    em.count(Installment, { dueDate: date }),
    em.count(Installment, { status: 'OVERDUE' }),
  ]);
  return { date, installmentsDueToday, installmentsOverdue };
}

/** `PlatformStats` references (the gateway's platformStats subscription): ADMIN only. */
export async function resolvePlatformStatsReference(
  reference: Record<string, unknown>,
  context: Context,
): Promise<PlatformStatsNode> {
  requireRole(context, ['ADMIN']);
  return installmentStats(context.em, parseCalendarDate(String(reference.date)));
}

/** The root of the figures lives here, with the business clock that says which day "today" is. */
@Resolver(() => PlatformStatsNode)
export class PlatformStatsResolver {
  @Query(() => PlatformStatsNode, {
    description:
      "ADMIN: today's platform figures, today being the business date; the platformStats subscription pushes them live.",
  })
  async platformStats(@Ctx() context: Context): Promise<PlatformStatsNode> {
    requireRole(context, ['ADMIN']);
    return installmentStats(context.em, await currentBusinessDate(context.em));
  }
}
