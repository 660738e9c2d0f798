import type { EntityManager } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';
import { assert } from '../assert';
import { UserTokensRevoked } from '../contracts';
import { forkEntityManager, type Database } from '../db';
import { CommonErrors } from '../errors';
import { subscribeTo } from '../messaging/consumer';
import type { VerifiedToken } from './jwt';
import { TokenRevocation } from './token-revocation.entity';

/** Records a revocation, keeping the later instant when the user has one: idempotent, order-independent. */
export async function recordTokenRevocation(em: EntityManager, userId: string, revokedAt: Date): Promise<void> {
  assert(!Number.isNaN(revokedAt.getTime()), `revocation of ${userId} at an invalid instant`);
  await em
    .createQueryBuilder(TokenRevocation)
    .insert({ userId, revokedAt })
    .onConflict(['userId'])
    .ignore()
    .execute('run');
  await em.nativeUpdate(TokenRevocation, { userId, revokedAt: { $lt: revokedAt } }, { revokedAt });
}

/** Whether a token was issued at or before its user's revocation (none: never revoked). */
export function isTokenRevoked(token: VerifiedToken, revokedAt: Date | null): boolean {
  return revokedAt !== null && token.issuedAtMs <= revokedAt.getTime();
}

/**
 * Refuses a revoked token with the 401 of any refused token. One primary-key read per signed-in request,
 * on an EntityManager of its own: authentication, not the request's work, so it counts as background SQL.
 * A read rather than a cache in memory: another replica of this subgraph may be the one that consumed the
 * event, and a revoked token must stop working on all of them at once.
 */
export async function refuseRevokedToken(orm: Database, token: VerifiedToken): Promise<void> {
  const revocation = await forkEntityManager(orm).findOne(TokenRevocation, { userId: token.viewer.id });
  if (isTokenRevoked(token, revocation?.revokedAt ?? null)) {
    throw CommonErrors.tokenRefused('token revoked (the account was disabled): sign in again');
  }
}

/** Every subgraph's consumer of the revocations (added by startSubgraph, not by each subgraph). */
export const tokenRevocationsSubscription = subscribeTo(UserTokensRevoked, 'token-revocations', async (em, payload) => {
  await recordTokenRevocation(em, payload.userId, new Date(payload.revokedAt));
});

/**
 * The revocations table every subgraph has (MySQL). Each subgraph registers it in its history as a
 * subclass named as its migration, as with OutboxInboxMigration.
 */
export class TokenRevocationsMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`token_revocations\` (\`user_id\` varchar(36) not null, \`revoked_at\` datetime(3) not null, primary key (\`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`token_revocations\`;`);
  }
}
