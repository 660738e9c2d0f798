import { Ctx, Query, Resolver } from 'type-graphql';
import { parseCalendarDate, requireRole, type EntityManager, type SubgraphContext } from '@wanxin/platform';
import { Loan } from '../entities/loan.entity';
import type { LoansServices } from '../services';
import { PlatformStatsNode } from './platform-stats.type';

type Context = SubgraphContext<LoansServices>;

async function loanStats(em: EntityManager, date: string): Promise<PlatformStatsNode> {
  return { date, loansFundraising: await em.count(Loan, { status: 'FUNDRAISING' }) };
}

/** `PlatformStats` references (the gateway's platformStats subscription): ADMIN only. */
export function resolvePlatformStatsReference(reference: Record<string, unknown>, context: Context): Promise<PlatformStatsNode> {
  requireRole(context, ['ADMIN']);
  return loanStats(context.em, parseCalendarDate(String(reference.date)));
}

@Resolver(() => PlatformStatsNode)
export class PlatformStatsResolver {
  @Query(() => PlatformStatsNode, { description: "ADMIN: today's platform figures (UTC day); the platformStats subscription pushes them live." })
  platformStats(@Ctx() context: Context): Promise<PlatformStatsNode> {
    requireRole(context, ['ADMIN']);
    return loanStats(context.em, new Date().toISOString().slice(0, 10));
  }
}
