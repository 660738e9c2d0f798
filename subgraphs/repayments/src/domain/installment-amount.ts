import { assert } from '@wanxin/platform';

/** What the borrower owes for one installment, penalty aside: its principal plus its interest, in fen. */
export function installmentAmountFen(principalFen: bigint, interestFen: bigint): bigint {
  assert(principalFen >= 0n, `installment principal must not be negative, got ${principalFen}`);
  assert(interestFen >= 0n, `installment interest must not be negative, got ${interestFen}`);
  return principalFen + interestFen;
}
