import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { forkEntityManager, publishEvent, type Database, type Logger } from '@wanxin/platform';
import { IdentityVerified } from '@wanxin/platform/contracts';
import type { IdentityVerificationResult } from '@wanxin/platform/identity-protocol';
import { identityCallbackOutcome } from '../domain/identity-check';
import type { CallbackApplied } from '../provider/callback';
import { IdentityCheck, ProviderNonce } from '../entities/identity-check.entity';
import { User } from '../entities/user.entity';

export type IdentityResultApplied = CallbackApplied;

/**
 * Applies a verified provider result in one transaction: the nonce is recorded (a replayed message is
 * refused), a PENDING check is settled, and VERIFIED writes the user's real name and ID number and
 * publishes `users.identity.verified` through the outbox. A settled check changes no more: the same
 * verdict again is a retried callback, a different one is logged and ignored (the first stands).
 */
export async function applyIdentityResult(
  orm: Database,
  nonce: string,
  result: IdentityVerificationResult,
  logger: Logger,
): Promise<IdentityResultApplied> {
  try {
    return await forkEntityManager(orm).transactional(async (tx) => {
      if ((await tx.findOne(ProviderNonce, { nonce })) !== null) return 'REPLAYED';
      tx.create(ProviderNonce, { nonce });
      const check = await tx.findOne(IdentityCheck, { id: result.requestId });
      if (check === null) return 'UNKNOWN_REQUEST';
      const outcome = identityCallbackOutcome(check.status, result.status);
      if (outcome.kind === 'CONTRADICTED') {
        logger.warn(
          { checkId: check.id, settled: outcome.settled, result },
          'identity result contradicts the settled one',
        );
      }
      if (outcome.kind !== 'SETTLE') return 'ALREADY_SETTLED';
      const decidedAt = new Date(result.decidedAt);
      const settledAt = Number.isNaN(decidedAt.getTime()) ? new Date() : decidedAt;
      // Conditional on PENDING: of two callbacks racing for one check, only one settles it.
      const settled = await tx.nativeUpdate(
        IdentityCheck,
        { id: check.id, status: 'PENDING' },
        {
          status: outcome.status,
          reason: result.reason,
          providerReference: check.providerReference ?? result.reference,
          settledAt,
          ...(outcome.status === 'REJECTED' ? { idNumberClaim: null, userClaim: null } : {}),
        },
      );
      if (settled === 0) return 'ALREADY_SETTLED';
      if (outcome.status === 'REJECTED') return 'APPLIED';
      await tx.nativeUpdate(User, { id: check.userId }, { realName: check.realName, idNumber: check.idNumber });
      publishEvent(tx, IdentityVerified, check.userId, {
        userId: check.userId,
        realName: check.realName,
        idNumber: check.idNumber,
        verifiedAt: settledAt.toISOString(),
      });
      return 'APPLIED';
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return 'REPLAYED';
    throw error;
  }
}
