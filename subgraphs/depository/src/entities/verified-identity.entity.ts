import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A user's identity as the identity provider verified it (users.identity.verified): the only name and ID
 * number a depository account is opened with. Kept apart from the account row, which may not exist yet.
 */
@Entity({ tableName: 'verified_identities' })
export class VerifiedIdentity {
  [OptionalProps]?: 'receivedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  userId!: string;

  @Property({ type: 'string', length: 50 })
  realName!: string;

  @Property({ type: 'string', length: 18 })
  idNumber!: string;

  @Property({ type: 'Date', length: 3 })
  verifiedAt!: Date;

  @Property({ type: 'Date', length: 3 })
  receivedAt: Date = new Date();
}
