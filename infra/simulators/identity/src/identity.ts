import { createHash, randomBytes } from 'node:crypto';
import type { EnvReader } from '@wanxin/platform';
import {
  IDENTITY_MESSAGE_TYPES,
  IDENTITY_PATHS,
  IDENTITY_REQUEST_BYTES_MAX,
  parseIdentityVerificationRequest,
  type IdentityVerificationRequest,
  type IdentityVerificationResult,
} from '@wanxin/platform/identity-protocol';
import {
  readProviderConfig,
  recordDecisionOnce,
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

/**
 * Decides at once (the rule is pure) and records the decision with its callback, due after the
 * configured decision delay: the platform learns it only by callback. A requestId seen before is the
 * same verification: its result goes out again.
 */
function acceptVerification(context: ProviderContext, request: IdentityVerificationRequest): Promise<string> {
  return recordDecisionOnce(
    context,
    request.callbackUrl,
    async (em) => (await em.findOne(Verification, { requestId: request.requestId }))?.reference ?? null,
    (now) => {
      const [idFrontImage, idBackImage, faceImage] = [request.idFrontImage, request.idBackImage, request.faceImage].map(
        (image) => Buffer.from(image, 'base64'),
      );
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
      return {
        reference,
        messageType: IDENTITY_MESSAGE_TYPES.result,
        data: result,
        record: (tx) =>
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
          }),
      };
    },
  );
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
