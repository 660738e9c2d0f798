import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The users part of the admins' statistics, one row per business day (a read model: the inbox consumer in
 * events/statistics.subscription.ts adds to it, `StatisticsRow` references only read it).
 */
@Entity({ tableName: 'statistics_days' })
export class StatisticsDay {
  [OptionalProps]?: 'newUsers';

  /** YYYY-MM-DD: the business date the facts happened at. */
  @PrimaryKey({ type: 'string', length: 10 })
  businessDate!: string;

  /** Accounts registered (`users.user.registered`), whatever their role. */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  newUsers: bigint = 0n;
}
