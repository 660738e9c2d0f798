import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';

/** The time a rule that never bid is served at: before every rule that has, so it goes first. */
export const NEVER_SERVED = new Date(0);

/**
 * An investor's auto-invest rule (自动投标): one per investor, replaced by each setAutoInvest. The engine
 * reads enabled rules in the fair order (lastServedAt, then id: the index below) and moves lastServedAt
 * in the transaction that reserves the rule's bid (operations/place-bid.ts).
 */
@Entity({ tableName: 'auto_invest_rules' })
@Index({ properties: ['enabled', 'lastServedAt', 'id'] })
export class AutoInvestRule {
  [OptionalProps]?: 'id' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Unique()
  @Property({ type: 'string', length: 36 })
  investorId!: string;

  @Property({ type: 'boolean' })
  enabled!: boolean;

  @Property({ type: new BigIntType('bigint') })
  amountPerLoanFen!: bigint;

  /** The lowest investor rate the rule bids on, in millionths; null: any. */
  @Property({ type: 'integer', nullable: true })
  rateMinMicros: number | null = null;

  @Property({ type: 'integer', nullable: true })
  termMaxMonths: number | null = null;

  /** Repayment methods the rule bids on, comma-separated and sorted; null: any. */
  @Property({ type: 'string', length: 100, nullable: true })
  methods: string | null = null;

  /** Available balance the investor keeps untouched: a bid that would go below it is skipped. */
  @Property({ type: new BigIntType('bigint') })
  reserveFen!: bigint;

  /** When the rule last had a bid reserved (NEVER_SERVED at first): the fair queue serves the least recent first. */
  @Property({ type: 'Date', length: 3 })
  lastServedAt!: Date;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'Date', length: 3 })
  updatedAt: Date = new Date();
}
