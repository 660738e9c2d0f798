import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A person with an account at the bank, opened by PERSONAL_REGISTER. */
@Entity({ tableName: 'bank_users' })
export class BankUser {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Unique()
  @Property({ type: 'string', length: 40 })
  userNo!: string;

  @Property({ type: 'string', length: 50 })
  realName!: string;

  /** One account per person: a second PERSONAL_REGISTER with this ID number is refused (30061). */
  @Unique()
  @Property({ type: 'string', length: 18 })
  idNumber!: string;

  @Property({ type: 'string', length: 16 })
  bankCode!: string;

  @Property({ type: 'string', length: 19 })
  cardNumber!: string;

  @Property({ type: 'string', length: 11 })
  cardMobile!: string;

  @Property({ type: 'string', length: 200, lazy: true })
  tradePasswordHash!: string;

  /** The USER ledger account. */
  @Property({ type: 'string', length: 36 })
  accountId!: string;

  /** The CARD ledger account (the simulated bank card). */
  @Property({ type: 'string', length: 36 })
  cardAccountId!: string;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}
