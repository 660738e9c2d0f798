import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { IdentityStatus } from '../domain/identity-check';

/**
 * One identity check sent to the provider; its id is the provider request's `requestId`. No image is kept:
 * only each image's SHA-256.
 */
@Entity({ tableName: 'identity_checks' })
@Index({ properties: ['userId', 'createdAt'] })
export class IdentityCheck {
  [OptionalProps]?: 'id' | 'idNumberClaim' | 'userClaim' | 'providerReference' | 'reason' | 'createdAt' | 'settledAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36 })
  userId!: string;

  @Property({ type: 'string', length: 16 })
  status!: IdentityStatus;

  @Property({ type: 'string', length: 50 })
  realName!: string;

  @Property({ type: 'string', length: 18 })
  idNumber!: string;

  /**
   * The ID number while this check is PENDING or VERIFIED, null once REJECTED: its unique index lets one
   * user at a time hold an ID number, even when two users send the same one at once.
   */
  @Unique()
  @Property({ type: 'string', length: 18, nullable: true })
  idNumberClaim: string | null = null;

  /**
   * The user's id while this check is PENDING or VERIFIED, null once REJECTED: its unique index lets a user
   * have one check in progress (or verified), even when they start two at once with different ID numbers.
   */
  @Unique()
  @Property({ type: 'string', length: 36, nullable: true })
  userClaim: string | null = null;

  @Property({ type: 'string', length: 64 })
  idFrontSha256!: string;

  @Property({ type: 'string', length: 64 })
  idBackSha256!: string;

  @Property({ type: 'string', length: 64 })
  faceSha256!: string;

  /** The provider's reference from its receipt (or its callback); null until one of them arrives. */
  @Property({ type: 'string', length: 100, nullable: true })
  providerReference: string | null = null;

  /** Why it was REJECTED: the provider's reason, or NOT_SENT when the provider never accepted the request. */
  @Property({ type: 'string', length: 32, nullable: true })
  reason: string | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'Date', length: 3, nullable: true })
  settledAt: Date | null = null;
}

/** A provider callback's nonce, kept so that a replayed message is refused (the provider signs each attempt anew). */
@Entity({ tableName: 'provider_nonces' })
export class ProviderNonce {
  [OptionalProps]?: 'receivedAt';

  @PrimaryKey({ type: 'string', length: 64 })
  nonce!: string;

  @Property({ type: 'Date', length: 3 })
  receivedAt: Date = new Date();
}
