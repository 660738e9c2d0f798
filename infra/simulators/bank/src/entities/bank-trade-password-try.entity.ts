import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One submission of a trade password on a CHECK page, written before the password is checked and
 * deleted when it was right: the rows left are the wrong tries, counted per form (requestNo) and per
 * user over 24 hours to lock them (services/page-flow.ts), and purged once they count for neither
 * (services/purge-tries.ts).
 */
@Entity({ tableName: 'bank_trade_password_tries' })
@Index({ properties: ['userNo', 'triedAt'] })
@Index({ properties: ['triedAt'] })
@Index({ properties: ['requestNo'] })
export class BankTradePasswordTry {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 40 })
  userNo!: string;

  @Property({ type: 'string', length: 40 })
  requestNo!: string;

  @Property({ type: 'Date', length: 3 })
  triedAt!: Date;
}
