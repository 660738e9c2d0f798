import { randomBytes } from 'node:crypto';
import { assert } from '@wanxin/platform';

// Bank requestNos of repayments: a REPAYMENT freeze is "RP" + 32 hex digits; its CONFIRM_REPAYMENT is the
// same digits after "RC", so every retry of the confirmation, from any process, is the same request.

const FREEZE_PREFIX = 'RP';
const CONFIRM_PREFIX = 'RC';
const REQUEST_NO_PATTERN = /^R[PC][0-9A-F]{32}$/;

export function newCollectionRequestNo(): string {
  const requestNo = `${FREEZE_PREFIX}${randomBytes(16).toString('hex').toUpperCase()}`;
  assert(REQUEST_NO_PATTERN.test(requestNo), `request number ${requestNo}`);
  return requestNo;
}

export function confirmRequestNoFor(collectionRequestNo: string): string {
  assert(
    REQUEST_NO_PATTERN.test(collectionRequestNo) && collectionRequestNo.startsWith(FREEZE_PREFIX),
    `not a collection requestNo: ${collectionRequestNo}`,
  );
  return `${CONFIRM_PREFIX}${collectionRequestNo.slice(FREEZE_PREFIX.length)}`;
}
