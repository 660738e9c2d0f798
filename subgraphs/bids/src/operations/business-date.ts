import { utcDateOf, type EntityManager } from '@wanxin/platform';
import { BusinessDay } from '../entities/business-day.entity';

/**
 * The business date as bids heard it: the latest day announced (the business date only moves forward),
 * or the wall clock's UTC day before any announcement, which is where the business clock starts.
 */
export async function currentBusinessDate(em: EntityManager, now: Date): Promise<string> {
  const [latest] = await em.find(BusinessDay, {}, { orderBy: { date: 'desc' }, limit: 1 });
  return latest?.date ?? utcDateOf(now);
}
