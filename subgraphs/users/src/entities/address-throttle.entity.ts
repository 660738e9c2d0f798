import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** What an address is throttled on (SMS_CODE: the address is the mobile the code goes to). */
export type ThrottledAction = 'LOGIN' | 'REGISTER' | 'SMS_CODE';

/** Attempts of one action from one address in the current window: slows down guessing and account spam. */
@Entity({ tableName: 'address_throttles' })
export class AddressThrottle {
  @PrimaryKey({ type: 'string', length: 16 })
  action!: ThrottledAction;

  @PrimaryKey({ type: 'string', length: 64 })
  address!: string;

  @Property({ type: 'Date', length: 3 })
  windowStartedAt!: Date;

  /** Attempts taken in the window, those still running included. */
  @Property({ type: 'integer' })
  attempts!: number;
}
