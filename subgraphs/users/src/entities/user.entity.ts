import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId, type Role } from '@wanxin/platform';

/**
 * A member or admin. No `version` column: the login throttle changes a user only by conditional UPDATEs
 * (throttles.ts: `failed_login_count + 1 WHERE failed_login_count < ?`), never by read-modify-write.
 */
@Entity({ tableName: 'users' })
export class User {
  [OptionalProps]?:
    | 'id'
    | 'realName'
    | 'idNumber'
    | 'failedLoginCount'
    | 'lockedUntil'
    | 'disabledAt'
    | 'createdAt'
    | 'registeredBusinessDate';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Unique()
  @Property({ type: 'string', length: 11 })
  mobile!: string;

  @Property({ type: 'string', length: 200, lazy: true })
  passwordHash!: string;

  @Property({ type: 'string', length: 16 })
  role!: Role;

  @Property({ type: 'string', length: 50, nullable: true })
  realName: string | null = null;

  /** From the VERIFIED identity check; an ID number belongs to one user. */
  @Unique()
  @Property({ type: 'string', length: 18, nullable: true })
  idNumber: string | null = null;

  /** Failed logins since the last success or lock; reset when the account locks. */
  @Property({ type: 'integer' })
  failedLoginCount: number = 0;

  @Property({ type: 'Date', length: 3, nullable: true })
  lockedUntil: Date | null = null;

  /** When an admin disabled the account (disableUser); null while it is enabled. */
  @Property({ type: 'Date', length: 3, nullable: true })
  disabledAt: Date | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();

  /** The business date it registered at, YYYY-MM-DD, as users knew it (the statistics count it there). */
  @Property({ type: 'string', length: 10, nullable: true })
  registeredBusinessDate: string | null = null;
}
