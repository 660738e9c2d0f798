import { raw } from '@mikro-orm/core';
import { parseCalendarDate, requireRole, type SubgraphContext } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import type { BidsServices } from '../services';
import type { PlatformStatsNode } from './platform-stats.type';

const DAY_MS = 24 * 60 * 60 * 1000;

/** ADMIN only: the amount raised by bids that still count, placed during the key's UTC day (their wall-clock stamp). */
export async function resolvePlatformStatsReference(reference: Record<string, unknown>, context: SubgraphContext<BidsServices>): Promise<PlatformStatsNode> {
  requireRole(context, ['ADMIN']);
  const date = parseCalendarDate(String(reference.date));
  const dayStart = new Date(`${date}T00:00:00.000Z`);
  const bids = await context.em
    .createQueryBuilder(Bid)
    .select(raw('sum(amount_fen) as total'))
    .where({ status: { $in: ['FROZEN', 'LOANED'] }, createdAt: { $gte: dayStart, $lt: new Date(dayStart.getTime() + DAY_MS) } })
    .execute<{ total: string | number | null }[]>('all', false);
  return { date, amountRaisedTodayFen: BigInt(String(bids[0]?.total ?? 0)) };
}
