import type { DepositoryRequestStatus } from './depository-request';

/** The platform's side of one request. */
export interface PlatformRecord {
  requestNo: string;
  serviceName: string;
  status: DepositoryRequestStatus;
  amountFen: bigint | null;
}

/** The bank's side of one request, from its reconciliation file. */
export interface BankRecord {
  requestNo: string;
  serviceName: string;
  status: 'SUCCESS' | 'FAILED';
  amountFen: bigint | null;
}

export type ReconciliationResult =
  | 'MATCHED'
  /** The platform gave the user a bank page they never submitted: nothing at the bank, nothing owed. */
  | 'NOT_SUBMITTED'
  | 'MISSING_AT_BANK'
  | 'MISSING_AT_PLATFORM'
  | 'STATUS_MISMATCH'
  | 'AMOUNT_MISMATCH'
  /** The bank ran the requestNo as another service than the platform sent (a replayed form). */
  | 'SERVICE_MISMATCH';

export interface ReconciliationLine {
  requestNo: string;
  serviceName: string;
  result: ReconciliationResult;
  platform: PlatformRecord | null;
  bank: BankRecord | null;
}

/** Services the platform hands to the user's browser; a missing bank record may just be an abandoned page. */
const PAGE_SERVICES = new Set(['PERSONAL_REGISTER', 'RECHARGE', 'WITHDRAW']);

function compare(platform: PlatformRecord, bank: BankRecord): ReconciliationResult {
  if (platform.serviceName !== bank.serviceName) return 'SERVICE_MISMATCH';
  const platformSucceeded = platform.status === 'SYNC';
  const bankSucceeded = bank.status === 'SUCCESS';
  if (platform.status === 'UNSYNC' || platformSucceeded !== bankSucceeded) return 'STATUS_MISMATCH';
  if (bankSucceeded && platform.amountFen !== null && platform.amountFen !== bank.amountFen) return 'AMOUNT_MISMATCH';
  return 'MATCHED';
}

function missingAtBank(platform: PlatformRecord): ReconciliationResult {
  return platform.status === 'FAILED' && PAGE_SERVICES.has(platform.serviceName) ? 'NOT_SUBMITTED' : 'MISSING_AT_BANK';
}

/**
 * Matches the platform's records of a day with the bank's by requestNo (domain.md §2 step 12): a pair
 * matches when the service, the outcome and the amount agree. Every
 * request of either side ends in exactly one line; the lines come back in requestNo order.
 */
export function reconcile(
  platformRecords: readonly PlatformRecord[],
  bankRecords: readonly BankRecord[],
): ReconciliationLine[] {
  const bankByRequestNo = new Map(bankRecords.map((record) => [record.requestNo, record]));
  const lines: ReconciliationLine[] = platformRecords.map((platform) => {
    const bank = bankByRequestNo.get(platform.requestNo) ?? null;
    bankByRequestNo.delete(platform.requestNo);
    return {
      requestNo: platform.requestNo,
      serviceName: platform.serviceName,
      result: bank === null ? missingAtBank(platform) : compare(platform, bank),
      platform,
      bank,
    };
  });
  for (const bank of bankByRequestNo.values()) {
    lines.push({
      requestNo: bank.requestNo,
      serviceName: bank.serviceName,
      result: 'MISSING_AT_PLATFORM',
      platform: null,
      bank,
    });
  }
  return lines.sort((a, b) => (a.requestNo < b.requestNo ? -1 : a.requestNo > b.requestNo ? 1 : 0));
}
