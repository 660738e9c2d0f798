import { isValidBankCode, isValidCardNumber, isValidIdNumber, isValidMobile, isValidRealName } from '@wanxin/platform';
import type { DepositoryStatus } from './account-status';

export interface OpenAccountFields {
  realName: string;
  idNumber: string;
  bankCode: string;
  cardNumber: string;
  cardMobile: string;
}

/** The holder as the identity provider verified them (users.identity.verified). */
export interface VerifiedHolder {
  realName: string;
  idNumber: string;
}

/** What the opener typed about themselves: optional, and when given it must be the verified identity. */
export interface StatedHolder {
  realName?: string | null;
  idNumber?: string | null;
}

export type HolderResult =
  | { ok: true; holder: VerifiedHolder }
  | { ok: false; refusal: { rule: 'NOT_VERIFIED' } | { rule: 'MISMATCH'; field: keyof VerifiedHolder } };

/**
 * Who the account is opened for: always the verified identity. Without one the opening waits for
 * verifyIdentity; a name or ID number stated that differs from it is refused, never sent to the bank.
 */
export function holderForOpening(stated: StatedHolder, verified: VerifiedHolder | null): HolderResult {
  if (verified === null) return { ok: false, refusal: { rule: 'NOT_VERIFIED' } };
  for (const field of ['realName', 'idNumber'] as const) {
    const given = stated[field];
    if (given !== null && given !== undefined && given !== verified[field]) {
      return { ok: false, refusal: { rule: 'MISMATCH', field } };
    }
  }
  return { ok: true, holder: { realName: verified.realName, idNumber: verified.idNumber } };
}

/** The first field that is wrong and why, or null; checked before anything is sent to the bank. */
export function openAccountProblem(
  fields: OpenAccountFields,
): { field: keyof OpenAccountFields; reason: string } | null {
  if (!isValidRealName(fields.realName))
    return { field: 'realName', reason: 'must be the holder’s name as on the ID card' };
  if (!isValidIdNumber(fields.idNumber))
    return { field: 'idNumber', reason: 'is not a valid 18-character resident ID number' };
  if (!isValidBankCode(fields.bankCode)) return { field: 'bankCode', reason: 'is not a bank code' };
  if (!isValidCardNumber(fields.cardNumber)) return { field: 'cardNumber', reason: 'must be 12 to 19 digits' };
  if (!isValidMobile(fields.cardMobile))
    return { field: 'cardMobile', reason: 'must be an 11-digit mainland mobile number' };
  return null;
}

/** Opening may start from NOT_OPENED, or again after FAILED; PENDING waits for the bank, OPENED is done. */
export function canStartOpening(status: DepositoryStatus): boolean {
  return status === 'NOT_OPENED' || status === 'FAILED';
}

/**
 * What a new openDepositoryAccount call does: START a first or new opening; SUPERSEDE the unfinished one
 * while PENDING (the user's bank page was refused or closed, and cannot be fetched again), so the user
 * gets a fresh page at once instead of waiting for the old one to be abandoned; REFUSE once OPENED.
 */
export function openingStep(status: DepositoryStatus): 'START' | 'SUPERSEDE' | 'REFUSE' {
  if (canStartOpening(status)) return 'START';
  return status === 'PENDING' ? 'SUPERSEDE' : 'REFUSE';
}
