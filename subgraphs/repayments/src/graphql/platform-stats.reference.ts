import { parseCalendarDate, requireRole, type SubgraphContext } from '@wanxin/platform';
import { Installment } from '../entities/installment.entity';
import type { RepaymentsServices } from '../services';
import type { PlatformStatsNode } from './platform-stats.type';

/** `PlatformStats` references (the gateway's platformStats subscription): ADMIN only. */
export async function resolvePlatformStatsReference(reference: Record<string, unknown>, context: SubgraphContext<RepaymentsServices>): Promise<PlatformStatsNode> {
  requireRole(context, ['ADMIN']);
  const date = parseCalendarDate(String(reference.date));
  const [installmentsDueToday, installmentsOverdue] = await Promise.all([
    context.em.count(Installment, { dueDate: date }),
    context.em.count(Installment, { status: 'OVERDUE' }),
  ]);
  return { date, installmentsDueToday, installmentsOverdue };
}
