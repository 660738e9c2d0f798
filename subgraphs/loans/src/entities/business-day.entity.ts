import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A business day the platform's clock reached (`repayments.business-date.advanced`): the daily job runs
 * the funding-window expiry as of its close, oldest uncompleted day first, and stamps `completedAt` once
 * the day left nothing to retry (no loan still due, no failed loan's bank project still open).
 */
@Entity({ tableName: 'business_days' })
export class BusinessDay {
  [OptionalProps]?: 'loansExpired' | 'completedAt';

  /** YYYY-MM-DD (UTC). */
  @PrimaryKey({ type: 'string', length: 10 })
  date!: string;

  @Property({ type: 'Date', length: 3 })
  receivedAt!: Date;

  /** Loans this day's runs moved FUNDRAISING → FAILED. */
  @Property({ type: 'integer' })
  loansExpired: number = 0;

  @Property({ type: 'Date', length: 3, nullable: true })
  completedAt: Date | null = null;
}
