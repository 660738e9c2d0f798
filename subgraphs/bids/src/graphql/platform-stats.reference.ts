import { parseCalendarDate, requireRole, type EntityManager, type SubgraphContext } from '@wanxin/platform';
import { BusinessDay } from '../entities/business-day.entity';
import type { BidsServices } from '../services';
import { amountRaisedFen } from '../store';
import type { PlatformStatsNode } from './platform-stats.type';

/**
 * The wall-clock span in which the business date was `date`, as bids heard the clock: from the day's
 * announcement to the next day's (open-ended while it is the business date). Before any announcement the
 * clock was at its first day, since the beginning; a day never announced (jumped over) has no span.
 */
async function businessDaySpan(em: EntityManager, date: string): Promise<{ from?: Date; to?: Date } | null> {
  const [day] = await em.find(BusinessDay, { date: { $lte: date } }, { orderBy: { date: 'desc' }, limit: 1 });
  if (day !== undefined && day.date !== date) return null;
  const [next] = await em.find(BusinessDay, { date: { $gt: date } }, { orderBy: { date: 'asc' }, limit: 1 });
  return { from: day?.receivedAt, to: next?.receivedAt };
}

/** ADMIN only: the amount raised during the key's business day by bids that still count. */
export async function resolvePlatformStatsReference(
  reference: Record<string, unknown>,
  context: SubgraphContext<BidsServices>,
): Promise<PlatformStatsNode> {
  requireRole(context, ['ADMIN']);
  const date = parseCalendarDate(String(reference.date));
  const span = await businessDaySpan(context.em, date);
  if (span === null) return { date, amountRaisedTodayFen: 0n };
  return { date, amountRaisedTodayFen: await amountRaisedFen(context.em, span) };
}
