import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A business day the platform's clock reached (`repayments.business-date.advanced`), with the wall-clock
 * moment bids heard of it: the bids placed from then until the next day was heard are that day's.
 */
@Entity({ tableName: 'business_days' })
export class BusinessDay {
  /** YYYY-MM-DD (UTC). */
  @PrimaryKey({ type: 'string', length: 10 })
  date!: string;

  @Property({ type: 'Date', length: 3 })
  receivedAt!: Date;
}
