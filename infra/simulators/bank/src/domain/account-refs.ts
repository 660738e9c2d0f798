import { assert } from '@wanxin/platform';
import { REFERENCE_NO_PATTERN } from '@wanxin/platform/bank-protocol';
import type { AccountCode } from './ledger';

/**
 * Every ledger account has a readable, unique reference: the two singletons by their code, a user's
 * depository account and simulated card by the userNo, a project's escrow by the projectNo.
 */
export const BANK_CASH_REF = 'BANK_CASH';
export const PLATFORM_FEE_REF = 'PLATFORM_FEE';

function owned(code: 'USER' | 'CARD' | 'PROJECT', ownerNo: string): string {
  assert(REFERENCE_NO_PATTERN.test(ownerNo), `account owner number is malformed: ${ownerNo}`);
  return `${code}:${ownerNo}`;
}

export const AccountRefs = {
  user: (userNo: string) => owned('USER', userNo),
  card: (userNo: string) => owned('CARD', userNo),
  project: (projectNo: string) => owned('PROJECT', projectNo),
};

/** The owner number in an owned account's reference (the userNo of `USER:<userNo>`). */
export function ownerNoOfRef(ref: string): string {
  const code = codeOfRef(ref);
  assert(code === 'USER' || code === 'CARD' || code === 'PROJECT', `${ref} has no owner`);
  return ref.slice(code.length + 1);
}

export function codeOfRef(ref: string): AccountCode {
  if (ref === BANK_CASH_REF) return 'BANK_CASH';
  if (ref === PLATFORM_FEE_REF) return 'PLATFORM_FEE';
  const code = ref.slice(0, ref.indexOf(':'));
  assert(code === 'USER' || code === 'CARD' || code === 'PROJECT', `unknown account reference ${ref}`);
  return code;
}
