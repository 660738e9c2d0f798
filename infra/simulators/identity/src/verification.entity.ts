import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * One verification the provider decided. It keeps no image, only each image's SHA-256, like the
 * platform; the result travels by callback (the kit's provider_callbacks, same reference). The columns
 * alike in users' IdentityCheck are each system's own record (a real provider replaces this one), not a
 * copy to share.
 */
@Entity({ tableName: 'identity_verifications' })
export class Verification {
  @PrimaryKey({ type: 'string', length: 64 })
  reference!: string;

  /** The platform's id: asked again, the same verification. */
  @Unique()
  @Property({ type: 'string', length: 64 })
  requestId!: string;

  @Property({ type: 'string', length: 100 })
  idNumber!: string;

  @Property({ type: 'string', length: 10 })
  status!: string;

  @Property({ type: 'string', length: 32, nullable: true })
  reason: string | null = null;

  @Property({ type: 'string', length: 64 })
  idFrontSha256!: string;

  @Property({ type: 'string', length: 64 })
  idBackSha256!: string;

  @Property({ type: 'string', length: 64 })
  faceSha256!: string;

  @Property({ type: 'Date', length: 3 })
  decidedAt!: Date;
}
