import { Entity, PrimaryKey } from '@mikro-orm/core';

/**
 * A business day the platform's clock reached (`repayments.business-date.advanced`): users stamps what
 * happens with the latest one (a registration's business date, for the admins' statistics).
 */
@Entity({ tableName: 'business_days' })
export class BusinessDay {
  /** YYYY-MM-DD. */
  @PrimaryKey({ type: 'string', length: 10 })
  date!: string;
}
