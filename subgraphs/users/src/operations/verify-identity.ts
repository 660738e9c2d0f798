import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { CommonErrors, utcDateOf, type EntityManager } from '@wanxin/platform';
import {
  checkIdentityInput,
  identityStartRefusal,
  type CheckedIdentity,
  type IdentityInput,
} from '../domain/identity-check';
import { UserErrors } from '../domain/errors';
import { IdentityCheck } from '../entities/identity-check.entity';
import { User } from '../entities/user.entity';
import type { IdentityVerificationRequest } from '@wanxin/platform/identity-protocol';
import { ProviderRequestNotAccepted, type ProviderClient } from '../provider/provider-client';

/** Why a check is REJECTED without a decision: the provider never accepted its request. */
export const NOT_SENT_REASON = 'NOT_SENT';

/**
 * Starts an identity check: validates the input, records a PENDING check (the three images' SHA-256 only)
 * holding the ID number, then sends the images to the provider outside the transaction. The images are
 * never stored, so a send that fails after its retries cannot be repeated later: the check is settled
 * REJECTED (NOT_SENT), which frees the ID number, and the user is told to try again.
 */
export async function verifyIdentity(
  em: EntityManager,
  identity: ProviderClient<IdentityVerificationRequest>,
  userId: string,
  input: IdentityInput,
): Promise<IdentityCheck> {
  const checked = checkIdentityInput(input, utcDateOf(new Date()));
  if (!checked.ok) throw UserErrors.invalidField(checked.problem);
  await abandonUnsentChecks(em, userId, checked.identity.idNumber, identity.unsentAfterMs);
  const check = await recordPendingCheck(em, userId, checked.identity);
  const { realName, idNumber, images } = checked.identity;
  try {
    const reference = await identity.send(
      {
        requestId: check.id,
        realName,
        idNumber,
        idFrontImage: images.idFrontImage.bytes.toString('base64'),
        idBackImage: images.idBackImage.bytes.toString('base64'),
        faceImage: images.faceImage.bytes.toString('base64'),
      },
      check.id,
    );
    // Conditional: the callback may already have settled the check (and named the reference).
    await em.nativeUpdate(IdentityCheck, { id: check.id, providerReference: null }, { providerReference: reference });
    check.providerReference ??= reference;
    return check;
  } catch (error) {
    if (!(error instanceof ProviderRequestNotAccepted)) throw error;
    await em.nativeUpdate(
      IdentityCheck,
      { id: check.id, status: 'PENDING' },
      { status: 'REJECTED', reason: NOT_SENT_REASON, idNumberClaim: null, userClaim: null, settledAt: new Date() },
    );
    throw CommonErrors.serviceUnavailable();
  }
}

/**
 * The compensation for a process that stopped between recording a check and sending it: the images are
 * gone, so a check still without the provider's reference after `unsentAfterMs` is settled REJECTED
 * (NOT_SENT), releasing the user and the ID number it held. Should the provider answer it after all, that
 * answer contradicts a settled check and is ignored; the user verifies again.
 */
async function abandonUnsentChecks(
  em: EntityManager,
  userId: string,
  idNumber: string,
  unsentAfterMs: number,
): Promise<void> {
  const now = new Date();
  await em.nativeUpdate(
    IdentityCheck,
    {
      $or: [{ userId }, { idNumberClaim: idNumber }],
      status: 'PENDING',
      providerReference: null,
      createdAt: { $lt: new Date(now.getTime() - unsentAfterMs) },
    },
    { status: 'REJECTED', reason: NOT_SENT_REASON, idNumberClaim: null, userClaim: null, settledAt: now },
  );
}

async function recordPendingCheck(
  em: EntityManager,
  userId: string,
  identity: CheckedIdentity,
): Promise<IdentityCheck> {
  try {
    return await em.transactional(async (tx) => {
      const user = await tx.findOne(User, { id: userId });
      if (user === null) throw UserErrors.notFound(userId);
      // Checks that never reached the provider cost nothing and do not count against the user.
      const checks = await tx.find(
        IdentityCheck,
        { userId, $or: [{ reason: null }, { reason: { $ne: NOT_SENT_REASON } }] },
        { orderBy: { createdAt: 'desc' }, fields: ['status'] },
      );
      const refusal = identityStartRefusal(checks[0]?.status ?? null, checks.length);
      if (refusal !== null) throw UserErrors.identityStartRefused(refusal);
      const holder = await tx.findOne(User, { idNumber: identity.idNumber, id: { $ne: userId } });
      if (holder !== null) throw UserErrors.idNumberTaken();
      const { images } = identity;
      return tx.create(IdentityCheck, {
        userId,
        status: 'PENDING',
        realName: identity.realName,
        idNumber: identity.idNumber,
        idNumberClaim: identity.idNumber,
        userClaim: userId,
        idFrontSha256: images.idFrontImage.sha256Hex,
        idBackSha256: images.idBackImage.sha256Hex,
        faceSha256: images.faceImage.sha256Hex,
      });
    });
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    // The user's own check started at the same moment holds the user's claim (both databases name the column).
    if (error.message.includes('user_claim')) throw UserErrors.identityStartRefused({ rule: 'CHECK_IN_PROGRESS' });
    // Another user's PENDING or VERIFIED check holds the ID number (the claim's unique index).
    throw UserErrors.idNumberTaken();
  }
}
