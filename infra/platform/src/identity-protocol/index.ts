import { isCanonicalBase64 } from '../signing';
import { isCallbackUrl, providerCallbackOpener, type Parsed } from '../provider-protocol';

/**
 * The identity provider's wire protocol, shared by the platform (users) and the identity-provider
 * simulator (`infra/simulators/identity`). The platform POSTs a signed IDENTITY_VERIFICATION_REQUEST
 * envelope (provider-protocol) to IDENTITY_PATHS.verifications; the provider answers at once with a
 * signed IDENTITY_VERIFICATION_RECEIPT (202 ACCEPTED with its `reference`, or a refusal code), decides
 * later and POSTs a signed IDENTITY_VERIFICATION_RESULT to the request's `callbackUrl`, again and again
 * (freshly signed each time) until it answers 2xx. The same requestId sent again in a new message is the
 * same verification: same reference, and its result is delivered again.
 */
export * from '../provider-protocol';

export const IDENTITY_MESSAGE_TYPES = {
  request: 'IDENTITY_VERIFICATION_REQUEST',
  receipt: 'IDENTITY_VERIFICATION_RECEIPT',
  result: 'IDENTITY_VERIFICATION_RESULT',
} as const;

export const IDENTITY_PATHS = {
  /** POST an IDENTITY_VERIFICATION_REQUEST envelope as JSON. */
  verifications: '/verifications',
} as const;

/** Each image, decoded. */
export const IDENTITY_IMAGE_BYTES_MAX = 2 * 1024 * 1024;
/** A request body: three base64 images inside base64 data, with room for the rest. */
export const IDENTITY_REQUEST_BYTES_MAX = 12 * 1024 * 1024;
export const IDENTITY_REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const TEXT_FIELD_LENGTH_MAX = 100;

export interface IdentityVerificationRequest {
  /** The platform's id of this verification; sent again in a new message it is the same verification. */
  requestId: string;
  realName: string;
  idNumber: string;
  /** base64 of the image bytes (JPEG or PNG), each at most IDENTITY_IMAGE_BYTES_MAX decoded. */
  idFrontImage: string;
  idBackImage: string;
  faceImage: string;
  /** Where the result is POSTed (http or https). */
  callbackUrl: string;
}

export const IDENTITY_STATUSES = ['VERIFIED', 'REJECTED'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

/** Why a verification was REJECTED (the simulator's rule: its README). */
export const IDENTITY_REJECTION_REASONS = [
  'NAME_INVALID',
  'ID_NUMBER_INVALID',
  'ID_NUMBER_UNKNOWN',
  'AGE_OUT_OF_RANGE',
  'IMAGE_UNREADABLE',
  'FACE_MISMATCH',
] as const;
export type IdentityRejectionReason = (typeof IDENTITY_REJECTION_REASONS)[number];

export interface IdentityVerificationResult {
  /** The provider's reference, as its receipt named it. */
  reference: string;
  requestId: string;
  status: IdentityStatus;
  /** null when VERIFIED. */
  reason: IdentityRejectionReason | null;
  /** ISO 8601 instant of the decision. */
  decidedAt: string;
}

export type ImageKind = 'JPEG' | 'PNG';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** JPEG or PNG by its magic bytes, or null for anything else. */
export function imageKindOf(bytes: Uint8Array): ImageKind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  if (bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, index) => bytes[index] === byte)) return 'PNG';
  return null;
}

function isShortText(value: unknown, lengthMax = TEXT_FIELD_LENGTH_MAX): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= lengthMax;
}

function imageProblem(value: unknown): string | null {
  if (!isCanonicalBase64(value) || value.length === 0) return 'must be non-empty canonical base64';
  // 4 base64 characters carry 3 bytes, less the padding: the size is known before decoding anything.
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  if ((value.length / 4) * 3 - padding > IDENTITY_IMAGE_BYTES_MAX) {
    return `must be at most ${IDENTITY_IMAGE_BYTES_MAX} bytes`;
  }
  return null;
}

/**
 * The request's data as the protocol requires it (the provider answers BAD_REQUEST otherwise). Whether
 * the name, the number and the images pass is the provider's decision, given by callback.
 */
export function parseIdentityVerificationRequest(data: Record<string, unknown>): Parsed<IdentityVerificationRequest> {
  const { requestId, realName, idNumber, idFrontImage, idBackImage, faceImage, callbackUrl } = data;
  if (typeof requestId !== 'string' || !IDENTITY_REQUEST_ID_PATTERN.test(requestId)) {
    return { ok: false, message: 'requestId must be 1 to 64 letters, digits, _ or -' };
  }
  if (!isShortText(realName) || !isShortText(idNumber)) {
    return { ok: false, message: `realName and idNumber must be 1 to ${TEXT_FIELD_LENGTH_MAX} characters` };
  }
  for (const [field, image] of Object.entries({ idFrontImage, idBackImage, faceImage })) {
    const problem = imageProblem(image);
    if (problem !== null) return { ok: false, message: `${field} ${problem}` };
  }
  if (!isCallbackUrl(callbackUrl)) return { ok: false, message: 'callbackUrl must be an http(s) URL' };
  return {
    ok: true,
    value: {
      requestId,
      realName,
      idNumber,
      idFrontImage: idFrontImage as string,
      idBackImage: idBackImage as string,
      faceImage: faceImage as string,
      callbackUrl,
    },
  };
}

function isIdentityVerificationResult(data: Record<string, unknown>): boolean {
  const { reference, requestId, status, reason, decidedAt } = data;
  const statusOk = (IDENTITY_STATUSES as readonly unknown[]).includes(status);
  const reasonOk =
    status === 'VERIFIED' ? reason === null : (IDENTITY_REJECTION_REASONS as readonly unknown[]).includes(reason);
  return isShortText(reference) && isShortText(requestId) && statusOk && reasonOk && typeof decidedAt === 'string';
}

/**
 * The platform's side of a callback: verifies the provider's signature, type and freshness, and the
 * result's shape. Throws ProviderSignatureError when anything does not hold. The nonce is returned for
 * the replay check; the platform also treats a result it already stored (same reference) as done.
 */
export const openIdentityResult = providerCallbackOpener<'result', IdentityVerificationResult>(
  'result',
  IDENTITY_MESSAGE_TYPES.result,
  isIdentityVerificationResult,
  'an identity verification result',
);
