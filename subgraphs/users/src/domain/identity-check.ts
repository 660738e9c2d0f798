import { createHash } from 'node:crypto';
import {
  ageInYears,
  assert,
  idNumberBirthDate,
  isValidIdNumber,
  isValidRealName,
  REAL_NAME_LENGTH_MAX,
  unreachable,
  utcDateOf,
} from '@wanxin/platform';
import type { FieldProblem } from './profile';

/**
 * Identity verification (seed 002, "实名认证"): a real name, a resident ID number and three photographs
 * (ID front, ID back, face) go to the identity provider, which answers VERIFIED or REJECTED by a callback.
 * The platform keeps no image: only each image's SHA-256. Pure rules: what input is acceptable, and how a
 * check's status moves.
 */

/** Borrowers are adults and not past the age lenders accept (seed 001, "基础信用审核"). */
export const IDENTITY_AGE_MIN_YEARS = 18;
export const IDENTITY_AGE_MAX_YEARS = 70;
/** Chinese names have at least two characters (surname and given name). */
export const REAL_NAME_LENGTH_MIN = 2;
/** The largest photograph, decoded: 2 MiB. */
export const IDENTITY_IMAGE_BYTES_MAX = 2 * 1024 * 1024;
/** Base64 of the largest photograph: 4 characters per 3 bytes, so a longer text is refused undecoded. */
export const IDENTITY_IMAGE_BASE64_LENGTH_MAX = Math.ceil(IDENTITY_IMAGE_BYTES_MAX / 3) * 4;
/** Checks one user may start (a rejected one may be retried with better photographs). */
export const IDENTITY_CHECKS_PER_USER_MAX = 5;

export const IDENTITY_IMAGE_FIELDS = ['idFrontImage', 'idBackImage', 'faceImage'] as const;
export type IdentityImageField = (typeof IDENTITY_IMAGE_FIELDS)[number];

export interface IdentityInput {
  realName: string;
  idNumber: string;
  /** Base64 (RFC 4648, padded, no line breaks or data: prefix) of a JPEG or PNG. */
  idFrontImage: string;
  idBackImage: string;
  faceImage: string;
}

export type ImageFormat = 'JPEG' | 'PNG';

export interface CheckedImage {
  format: ImageFormat;
  /** The decoded photograph, for the provider's request only: it is never stored. */
  bytes: Buffer;
  /** SHA-256 of `bytes`, lower-case hex: what the platform keeps. */
  sha256Hex: string;
}

/** An input that passed every rule: the ID number in its canonical form (upper-case X), the images decoded. */
export interface CheckedIdentity {
  realName: string;
  idNumber: string;
  birthDate: string;
  images: { readonly [Field in IdentityImageField]: CheckedImage };
}

export type IdentityInputResult = { ok: true; identity: CheckedIdentity } | { ok: false; problem: FieldProblem };

// Letters of any script (汉字, Latin, Uyghur…), with the middle dot and spaces of transcribed names.
const REAL_NAME_PATTERN = /^[\p{L}\p{M}]+(?:[·• ][\p{L}\p{M}]+)*$/u;
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function realNameProblem(realName: string): string | null {
  if (!isValidRealName(realName)) {
    return `must be 1 to ${REAL_NAME_LENGTH_MAX} characters without surrounding spaces or control characters`;
  }
  if ([...realName].length < REAL_NAME_LENGTH_MIN) return `must have at least ${REAL_NAME_LENGTH_MIN} characters`;
  if (!REAL_NAME_PATTERN.test(realName)) return 'may only contain letters, a middle dot or single spaces between them';
  return null;
}

/** The birth date an ID number encodes, YYYY-MM-DD (positions 7–14 of GB 11643). */
export function birthDateOfIdNumber(idNumber: string): string {
  assert(isValidIdNumber(idNumber), 'only a valid ID number has a birth date');
  return utcDateOf(idNumberBirthDate(idNumber));
}

/** The ID number with a lower-case check character made upper-case, the form GB 11643 and the bank use. */
export function canonicalIdNumber(idNumber: string): string {
  return idNumber.endsWith('x') ? `${idNumber.slice(0, -1)}X` : idNumber;
}

function idNumberProblem(idNumber: string, businessDate: string): string | null {
  if (!isValidIdNumber(idNumber)) return 'is not a valid resident ID number (18 characters with a valid check digit)';
  // The platform's count, as the identity provider's: a 29 February birthday comes on 1 March in other years.
  const age = ageInYears(idNumberBirthDate(idNumber), new Date(`${businessDate}T00:00:00.000Z`));
  if (age < IDENTITY_AGE_MIN_YEARS) return `belongs to someone under ${IDENTITY_AGE_MIN_YEARS}`;
  if (age > IDENTITY_AGE_MAX_YEARS) return `belongs to someone over ${IDENTITY_AGE_MAX_YEARS}`;
  return null;
}

function formatOf(bytes: Buffer): ImageFormat | null {
  if (bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return 'PNG';
  if (bytes.subarray(0, JPEG_MAGIC.length).equals(JPEG_MAGIC)) return 'JPEG';
  return null;
}

/**
 * Decodes one photograph, or says why not. The length is checked before decoding, so an oversized text
 * costs no memory. Node's decoder skips what is not base64, so the text must be exactly what encoding
 * the decoded bytes gives back: anything else was malformed.
 */
export function decodeIdentityImage(base64: string): { ok: true; image: CheckedImage } | { ok: false; reason: string } {
  if (base64.length === 0) return { ok: false, reason: 'is empty' };
  if (base64.length > IDENTITY_IMAGE_BASE64_LENGTH_MAX) {
    return { ok: false, reason: `is larger than ${IDENTITY_IMAGE_BYTES_MAX} bytes` };
  }
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.toString('base64') !== base64) {
    return { ok: false, reason: 'is not base64 (padded, without line breaks or a data: prefix)' };
  }
  if (bytes.length > IDENTITY_IMAGE_BYTES_MAX) {
    return { ok: false, reason: `is larger than ${IDENTITY_IMAGE_BYTES_MAX} bytes` };
  }
  const format = formatOf(bytes);
  if (format === null) return { ok: false, reason: 'is not a JPEG or PNG image' };
  return { ok: true, image: { format, bytes, sha256Hex: createHash('sha256').update(bytes).digest('hex') } };
}

/** Checks an identity input in field order against the business date; the first problem is returned. */
export function checkIdentityInput(input: IdentityInput, businessDate: string): IdentityInputResult {
  const nameProblem = realNameProblem(input.realName);
  if (nameProblem !== null) return { ok: false, problem: { field: 'realName', reason: nameProblem } };
  const idNumber = canonicalIdNumber(input.idNumber);
  const idProblem = idNumberProblem(idNumber, businessDate);
  if (idProblem !== null) return { ok: false, problem: { field: 'idNumber', reason: idProblem } };
  const images: Partial<Record<IdentityImageField, CheckedImage>> = {};
  for (const field of IDENTITY_IMAGE_FIELDS) {
    const decoded = decodeIdentityImage(input[field]);
    if (!decoded.ok) return { ok: false, problem: { field, reason: decoded.reason } };
    images[field] = decoded.image;
  }
  const { idFrontImage, idBackImage, faceImage } = images;
  assert(idFrontImage && idBackImage && faceImage, 'every image field was decoded');
  return {
    ok: true,
    identity: {
      realName: input.realName,
      idNumber,
      birthDate: birthDateOfIdNumber(idNumber),
      images: { idFrontImage, idBackImage, faceImage },
    },
  };
}

/** A check's lifecycle: PENDING until the provider's callback settles it, once. */
export const IDENTITY_STATUSES = ['PENDING', 'VERIFIED', 'REJECTED'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];
export type IdentityVerdict = Exclude<IdentityStatus, 'PENDING'>;

/**
 * What a provider callback does to a check in `status`. The provider retries until acknowledged, so the
 * same verdict again is a DUPLICATE (acknowledge, change nothing); a different verdict for a settled check
 * arrived out of order or contradicts the first: the first settlement stands (CONTRADICTED, acknowledged
 * and logged, never applied).
 */
export type IdentityCallbackOutcome =
  | { kind: 'SETTLE'; status: IdentityVerdict }
  | { kind: 'DUPLICATE' }
  | { kind: 'CONTRADICTED'; settled: IdentityVerdict };

export function identityCallbackOutcome(status: IdentityStatus, verdict: IdentityVerdict): IdentityCallbackOutcome {
  switch (status) {
    case 'PENDING':
      return { kind: 'SETTLE', status: verdict };
    case 'VERIFIED':
    case 'REJECTED':
      return status === verdict ? { kind: 'DUPLICATE' } : { kind: 'CONTRADICTED', settled: status };
    default:
      return unreachable(status, 'identity status');
  }
}

/** Why a user may not start a new check now, or null. */
export type IdentityStartRefusal =
  { rule: 'CHECK_IN_PROGRESS' } | { rule: 'ALREADY_VERIFIED' } | { rule: 'TOO_MANY_CHECKS'; checksMax: number };

/**
 * A user starts a check when they have none or the last one was REJECTED, up to IDENTITY_CHECKS_PER_USER_MAX
 * in all (each one is a paid call to the provider).
 */
export function identityStartRefusal(
  latestStatus: IdentityStatus | null,
  checksStarted: number,
): IdentityStartRefusal | null {
  assert(Number.isInteger(checksStarted) && checksStarted >= 0, `a count of checks, got ${checksStarted}`);
  assert((latestStatus === null) === (checksStarted === 0), 'a user has a latest check exactly when they started one');
  if (latestStatus === 'PENDING') return { rule: 'CHECK_IN_PROGRESS' };
  if (latestStatus === 'VERIFIED') return { rule: 'ALREADY_VERIFIED' };
  if (checksStarted >= IDENTITY_CHECKS_PER_USER_MAX) {
    return { rule: 'TOO_MANY_CHECKS', checksMax: IDENTITY_CHECKS_PER_USER_MAX };
  }
  return null;
}
