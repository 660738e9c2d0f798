import { assert } from '@wanxin/platform';
import { BANK_CODES, newBankRequestNo } from '@wanxin/platform/bank-protocol';

/** A bank instruction as the agent knows it (domain.md §3): sent and unknown, confirmed, or refused. */
export const DEPOSITORY_REQUEST_STATUSES = ['UNSYNC', 'SYNC', 'FAILED'] as const;
export type DepositoryRequestStatus = (typeof DEPOSITORY_REQUEST_STATUSES)[number];

/** Short prefixes make requestNos readable in logs and reconciliation reports. */
const REQUEST_PREFIX = {
  PERSONAL_REGISTER: 'PR',
  CANCEL_PAGE_REQUEST: 'CP',
  RECHARGE: 'RC',
  WITHDRAW: 'WD',
  QUERY_REQUEST: 'QR',
  QUERY_BALANCE: 'QB',
  QUERY_RECONCILIATION: 'RE',
  BATCH_TRANSACTION: 'BT',
} as const;

export type AgentServiceName = keyof typeof REQUEST_PREFIX;

/** A new requestNo: the service's prefix and 32 random hex digits (34 characters, within the bank's 40). */
export function newRequestNo(serviceName: AgentServiceName): string {
  return newBankRequestNo(REQUEST_PREFIX[serviceName]);
}

/**
 * The status a bank result moves a request to, or null when it changes nothing. The bank is the
 * truth: a result can confirm an UNSYNC request, refuse it, or (a late success) confirm one the agent
 * had given up on; a confirmed request never changes again.
 */
export function statusAfterResult(
  current: DepositoryRequestStatus,
  succeeded: boolean,
): DepositoryRequestStatus | null {
  switch (current) {
    case 'UNSYNC':
      return succeeded ? 'SYNC' : 'FAILED';
    case 'FAILED':
      return succeeded ? 'SYNC' : null;
    case 'SYNC':
      return null;
    default:
      return unreachableStatus(current);
  }
}

/**
 * The statuses a success (or a refusal) moves a request from, and where to: statusAfterResult as one
 * conditional update, for results applied many at a time.
 */
export function moveOnResult(succeeded: boolean): { from: DepositoryRequestStatus[]; to: DepositoryRequestStatus } {
  const from = DEPOSITORY_REQUEST_STATUSES.filter((status) => statusAfterResult(status, succeeded) !== null);
  const targets = new Set(from.map((status) => statusAfterResult(status, succeeded)));
  assert(from.length > 0 && targets.size === 1, 'a result moves requests to one status');
  return { from, to: [...targets][0]! };
}

function unreachableStatus(status: never): never {
  throw new Error(`unknown request status ${String(status)}`);
}

/** What the agent stored about a request, to hold a bank result against. */
export interface StoredRequest {
  serviceName: string;
  /** The bank userNo of the user the request is for, when it is a user's. */
  userNo: string | null;
  amountFen: bigint | null;
}

/** The fields of a bank result that name whose request it is and what it moved. */
export interface ResultClaims {
  code: string;
  userNo?: unknown;
  amountFen?: unknown;
}

/**
 * Why a signed bank result is not about this stored request, or null when it is: the service must be
 * the request's; a success must name the request's user and (when the request moves money) its amount;
 * a refusal names them only when the bank knows them, and then they must match too.
 */
export function resultMismatch(stored: StoredRequest, serviceName: string, result: ResultClaims): string | null {
  if (serviceName !== stored.serviceName) return `a ${serviceName} result for a ${stored.serviceName} request`;
  const succeeded = result.code === BANK_CODES.SUCCESS;
  if (stored.userNo !== null && (succeeded || result.userNo !== undefined) && result.userNo !== stored.userNo) {
    return 'the result names another user';
  }
  const amountFen = stored.amountFen?.toString();
  if (amountFen !== undefined && (succeeded || result.amountFen !== undefined) && result.amountFen !== amountFen) {
    return 'the result names another amount';
  }
  return null;
}
