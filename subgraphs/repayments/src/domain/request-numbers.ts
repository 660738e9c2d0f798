import { assert } from '@wanxin/platform';
import { newBankRequestNo } from '@wanxin/platform/bank-protocol';

// Bank requestNos of repayments: a REPAYMENT freeze is "RP" + 32 hex digits; its CONFIRM_REPAYMENT is the
// same digits after "RC", so every retry of the confirmation, from any process, is the same request.

const FREEZE_PREFIX = 'RP';
const CONFIRM_PREFIX = 'RC';
const REQUEST_NO_PATTERN = /^R[PC][0-9A-F]{32}$/;

/** MODIFY_PROJECT SETTLED of a settled loan's project. */
export function newProjectSettleRequestNo(): string {
  return newBankRequestNo('RS');
}

/** CREDIT_ASSIGNMENT of a claim transfer's sale: new at each reservation. */
export function newTransferRequestNo(): string {
  return newBankRequestNo('RT');
}

export function newCollectionRequestNo(): string {
  return newBankRequestNo(FREEZE_PREFIX);
}

export function confirmRequestNoFor(collectionRequestNo: string): string {
  assert(
    REQUEST_NO_PATTERN.test(collectionRequestNo) && collectionRequestNo.startsWith(FREEZE_PREFIX),
    `not a collection requestNo: ${collectionRequestNo}`,
  );
  return `${CONFIRM_PREFIX}${collectionRequestNo.slice(FREEZE_PREFIX.length)}`;
}
