import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';

/** An admin lowered an installment's penalty: by how much, who, when and why. Never changed afterwards. */
@Entity({ tableName: 'penalty_waivers' })
export class PenaltyWaiver {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36, index: true })
  installmentId!: string;

  @Property({ type: 'string', length: 36 })
  loanId!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Property({ type: 'string', length: 500 })
  reason!: string;

  /** The admin's user id. */
  @Property({ type: 'string', length: 36 })
  waivedBy!: string;

  /** The business date it was waived on. */
  @Property({ type: 'string', length: 10 })
  businessDate!: string;

  @Property({ type: 'Date', length: 3 })
  waivedAt!: Date;
}
