import type { EntityManager } from '@wanxin/platform';
import { BusinessClock, BUSINESS_CLOCK_ID } from '../entities/business-clock.entity';

/** The business date: the last day whose daily jobs have run (read in `em`'s transaction, if any). */
export async function currentBusinessDate(em: EntityManager): Promise<string> {
  return (await em.findOneOrFail(BusinessClock, { id: BUSINESS_CLOCK_ID }, { refresh: true })).businessDate;
}
