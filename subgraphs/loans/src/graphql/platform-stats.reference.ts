import { parseCalendarDate, requireRole, type EntityManager, type SubgraphContext } from '@wanxin/platform';
import { Loan } from '../entities/loan.entity';
import type { LoansServices } from '../services';
import type { PlatformStatsNode } from './platform-stats.type';

type Context = SubgraphContext<LoansServices>;

async function loanStats(em: EntityManager, date: string): Promise<PlatformStatsNode> {
  return { date, loansFundraising: await em.count(Loan, { status: 'FUNDRAISING' }) };
}

/** `PlatformStats` references (the platformStats query, whose root is the repayments subgraph's, and subscription): ADMIN only. */
export function resolvePlatformStatsReference(
  reference: Record<string, unknown>,
  context: Context,
): Promise<PlatformStatsNode> {
  requireRole(context, ['ADMIN']);
  return loanStats(context.em, parseCalendarDate(String(reference.date)));
}
