import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** The one row that holds the platform's business date and who is running the daily jobs. */
export const BUSINESS_CLOCK_ID = 1;

@Entity({ tableName: 'business_clock' })
export class BusinessClock {
  [OptionalProps]?: 'runId' | 'runRenewedAt';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = BUSINESS_CLOCK_ID;

  /** The last day whose daily jobs have run, YYYY-MM-DD. */
  @Property({ type: 'string', length: 10 })
  businessDate!: string;

  /** The run holding the clock: one run at a time. */
  @Property({ type: 'string', length: 36, nullable: true })
  runId: string | null = null;

  /** The running run renews this as it goes; a lease not renewed for the lease time is free to take. */
  @Property({ type: 'Date', length: 3, nullable: true })
  runRenewedAt: Date | null = null;
}
