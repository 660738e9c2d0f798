import { ageInYears, idNumberBirthDate, isValidIdNumber, isValidRealName } from '@wanxin/platform';
import { imageKindOf, type IdentityRejectionReason, type IdentityStatus } from '@wanxin/platform/identity-protocol';

/** Ages the simulated registry verifies, inclusive, on the day of the decision. */
export const VERIFIED_AGE_MIN = 18;
export const VERIFIED_AGE_MAX = 70;
/** Sequence digits (positions 15 to 17) the simulated registry has never issued. */
export const UNKNOWN_SEQUENCE_DIGITS = '999';

export interface VerificationInput {
  realName: string;
  idNumber: string;
  idFrontImage: Uint8Array;
  idBackImage: Uint8Array;
  faceImage: Uint8Array;
}

export interface VerificationDecision {
  status: IdentityStatus;
  reason: IdentityRejectionReason | null;
}

function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  return Buffer.from(left.buffer, left.byteOffset, left.byteLength).equals(right);
}

/**
 * The simulator's documented rule (README, "Decision rule"), checked in this order; the first that fails
 * is the reason: a well-formed name (NAME_INVALID); an ID number with a good checksum and a real birth
 * date (ID_NUMBER_INVALID); sequence digits other than 999 (ID_NUMBER_UNKNOWN); an age from 18 to 70 on
 * `on` (AGE_OUT_OF_RANGE); three JPEG or PNG images (IMAGE_UNREADABLE); a face that is not byte for byte
 * the ID's front (FACE_MISMATCH). Anything else is VERIFIED.
 */
export function decideVerification(input: VerificationInput, on: Date): VerificationDecision {
  const reject = (reason: IdentityRejectionReason): VerificationDecision => ({ status: 'REJECTED', reason });
  if (!isValidRealName(input.realName)) return reject('NAME_INVALID');
  if (!isValidIdNumber(input.idNumber)) return reject('ID_NUMBER_INVALID');
  if (input.idNumber.slice(14, 17) === UNKNOWN_SEQUENCE_DIGITS) return reject('ID_NUMBER_UNKNOWN');
  const age = ageInYears(idNumberBirthDate(input.idNumber), on);
  if (age < VERIFIED_AGE_MIN || age > VERIFIED_AGE_MAX) return reject('AGE_OUT_OF_RANGE');
  if ([input.idFrontImage, input.idBackImage, input.faceImage].some((image) => imageKindOf(image) === null)) {
    return reject('IMAGE_UNREADABLE');
  }
  if (sameBytes(input.faceImage, input.idFrontImage)) return reject('FACE_MISMATCH');
  return { status: 'VERIFIED', reason: null };
}
