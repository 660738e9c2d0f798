import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A user whose depository account is OPENED, as `depository.account.opened` told us: loans checks it in
 * createLoan without reading the depository's tables.
 */
@Entity({ tableName: 'opened_accounts' })
export class OpenedAccount {
  @PrimaryKey({ type: 'string', length: 36 })
  userId!: string;

  @Property({ type: 'string', length: 40 })
  userNo!: string;

  @Property({ type: 'Date', length: 3 })
  openedAt!: Date;
}
