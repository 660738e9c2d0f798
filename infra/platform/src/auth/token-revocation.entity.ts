import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * How a token stops working before it expires (an admin disabled its user): every subgraph keeps, in its
 * own database, the instant before which each revoked user's tokens are refused, and checks every request's
 * token against it (subgraph.ts), so a subgraph called directly refuses it as the gateway's path does. The
 * users subgraph writes its row in the transaction that disables the user; the others get it from
 * `users.user.tokens-revoked` through their inbox. The instant only moves forward and is never cleared:
 * enabling the user again lets them sign in for new tokens, while every token from before stays refused.
 * The users subgraph both issues tokens and sets these instants, so one clock decides.
 */
@Entity({ tableName: 'token_revocations' })
export class TokenRevocation {
  @PrimaryKey({ type: 'string', length: 36 })
  userId!: string;

  /** The user's tokens issued at or before this instant are refused. */
  @Property({ type: 'Date', length: 3 })
  revokedAt!: Date;
}
