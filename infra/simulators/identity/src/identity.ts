import { createHash, randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { forkEntityManager, type EnvReader } from '@wanxin/platform';
import {
  IDENTITY_MESSAGE_TYPES,
  IDENTITY_PATHS,
  IDENTITY_REQUEST_BYTES_MAX,
  parseIdentityVerificationRequest,
  type IdentityVerificationRequest,
  type IdentityVerificationResult,
} from '@wanxin/platform/identity-protocol';
import {
  enqueueCallback,
  readProviderConfig,
  requeueCallback,
  signedRequestRoute,
  startProvider,
  type ProviderConfig,
  type ProviderContext,
  type ProviderIdentity,
  type RunningProvider,
} from '@wanxin/simulator-kit';
import { identityDatabase } from './database';
import { decideVerification } from './domain/verification-rule';
import { Verification } from './verification.entity';

export const IDENTITY_DEFAULT_PORT = 4007;
const IDENTITY: ProviderIdentity = { name: 'identity', envPrefix: 'IDENTITY', defaultPort: IDENTITY_DEFAULT_PORT };

/** PORT (default 4007), DATABASE_URL/DATA_DIR, IDENTITY_* (README, configuration). */
export function readIdentityConfig(reader: EnvReader): ProviderConfig {
  return readProviderConfig(reader, IDENTITY);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function reask(context: ProviderContext, request: IdentityVerificationRequest): Promise<string | null> {
  const em = forkEntityManager(context.orm);
  const known = await em.findOne(Verification, { requestId: request.requestId });
  if (known === null) return null;
  await requeueCallback(em, known.reference, request.callbackUrl, new Date());
  return known.reference;
}

/**
 * Decides at once (the rule is pure) and records the decision with its callback, due after the
 * configured decision delay: the platform learns it only by callback. A requestId seen before is the
 * same verification: its result goes out again.
 */
async function acceptVerification(context: ProviderContext, request: IdentityVerificationRequest): Promise<string> {
  const known = await reask(context, request);
  if (known !== null) return known;
  const now = new Date();
  const images = [request.idFrontImage, request.idBackImage, request.faceImage].map((image) =>
    Buffer.from(image, 'base64'),
  );
  const [idFrontImage, idBackImage, faceImage] = images;
  const decision = decideVerification(
    { realName: request.realName, idNumber: request.idNumber, idFrontImage, idBackImage, faceImage },
    now,
  );
  const reference = `IDV${randomBytes(12).toString('hex')}`;
  const result: IdentityVerificationResult = {
    reference,
    requestId: request.requestId,
    status: decision.status,
    reason: decision.reason,
    decidedAt: now.toISOString(),
  };
  try {
    await forkEntityManager(context.orm).transactional(async (tx) => {
      tx.create(Verification, {
        reference,
        requestId: request.requestId,
        idNumber: request.idNumber,
        status: decision.status,
        reason: decision.reason,
        idFrontSha256: sha256(idFrontImage),
        idBackSha256: sha256(idBackImage),
        faceSha256: sha256(faceImage),
        decidedAt: now,
      });
      enqueueCallback(tx, {
        reference,
        url: request.callbackUrl,
        messageType: IDENTITY_MESSAGE_TYPES.result,
        data: result,
        firstAttemptAt: new Date(now.getTime() + context.config.settings.decisionDelayMs),
      });
    });
    return reference;
  } catch (error) {
    // The same requestId arrived twice at once: the other one recorded it.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const raced = await reask(context, request);
    if (raced === null) throw error;
    return raced;
  }
}

/** Opens (and migrates) `<prefix>_identity`, serves POST /verifications and delivers results by callback. */
export function startIdentityProvider(config: ProviderConfig): Promise<RunningProvider> {
  return startProvider(
    {
      identity: IDENTITY,
      database: identityDatabase,
      receiptType: IDENTITY_MESSAGE_TYPES.receipt,
      routes: [
        signedRequestRoute(IDENTITY_PATHS.verifications, {
          requestType: IDENTITY_MESSAGE_TYPES.request,
          receiptType: IDENTITY_MESSAGE_TYPES.receipt,
          bodyBytesMax: IDENTITY_REQUEST_BYTES_MAX,
          parse: parseIdentityVerificationRequest,
          accept: acceptVerification,
        }),
      ],
    },
    config,
  );
}
