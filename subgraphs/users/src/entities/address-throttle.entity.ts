import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Failed logins from one address in the current window: slows down guessing across many accounts. */
@Entity({ tableName: 'login_address_failures' })
export class AddressThrottle {
  @PrimaryKey({ type: 'string', length: 64 })
  address!: string;

  @Property({ type: 'Date', length: 3 })
  windowStartedAt!: Date;

  @Property({ type: 'integer' })
  failures!: number;
}
