import { forkEntityManager } from '@wanxin/platform';
import { BANK_CODES, RECONCILIATION_RECORDS_MAX } from '@wanxin/platform/bank-protocol';
import { BankUnavailableError } from '../agent/bank-client';
import { newRequestNo } from '../domain/depository-request';
import {
  reconcile,
  type BankRecord,
  type PlatformRecord,
  type ReconciliationLine,
  type ReconciliationResult,
} from '../domain/reconciliation';
import { DepositoryRequest } from '../entities/depository-request.entity';
import type { DepositoryServices } from '../services';

export interface ReconciliationReport {
  date: string;
  lines: ReconciliationLine[];
}

/** A report's lines counted by result, and the money each side holds as done. */
export interface ReconciliationSummary {
  matched: number;
  notSubmitted: number;
  missingAtBank: number;
  missingAtPlatform: number;
  /** Status and amount mismatches. */
  mismatched: number;
  /** Σ amounts the platform holds as confirmed (SYNC). */
  platformAmountFen: bigint;
  /** Σ amounts the bank reports as done (SUCCESS). */
  bankAmountFen: bigint;
}

export function summarizeReconciliation(lines: readonly ReconciliationLine[]): ReconciliationSummary {
  const count = (...results: ReconciliationResult[]) => lines.filter((line) => results.includes(line.result)).length;
  const sum = (amountOf: (line: ReconciliationLine) => bigint | null) =>
    lines.reduce((total, line) => total + (amountOf(line) ?? 0n), 0n);
  return {
    matched: count('MATCHED'),
    notSubmitted: count('NOT_SUBMITTED'),
    missingAtBank: count('MISSING_AT_BANK'),
    missingAtPlatform: count('MISSING_AT_PLATFORM'),
    mismatched: count('STATUS_MISMATCH', 'AMOUNT_MISMATCH', 'SERVICE_MISMATCH'),
    platformAmountFen: sum((line) => (line.platform?.status === 'SYNC' ? line.platform.amountFen : null)),
    bankAmountFen: sum((line) => (line.bank?.status === 'SUCCESS' ? line.bank.amountFen : null)),
  };
}

/**
 * The daily reconciliation (对账) of one business day: the platform's instructions of that business date
 * against the bank's file of the same accounting date (each instruction carried it). The admin query runs
 * it for any day; the business-day job (reconcile-business-days.ts) for each day the business date
 * reaches, once that day is over.
 */
export async function reconcileDay(services: DepositoryServices, date: string): Promise<ReconciliationReport> {
  const rows = await forkEntityManager(services.orm).find(
    DepositoryRequest,
    { businessDate: date },
    { orderBy: { requestNo: 'asc' }, limit: RECONCILIATION_RECORDS_MAX },
  );
  const platform: PlatformRecord[] = rows.map((row) => ({
    requestNo: row.requestNo,
    serviceName: row.serviceName,
    status: row.status,
    amountFen: row.amountFen,
  }));
  const answer = await services.bank.call('QUERY_RECONCILIATION', {
    requestNo: newRequestNo('QUERY_RECONCILIATION'),
    date,
  });
  if (answer.code !== BANK_CODES.SUCCESS)
    throw new BankUnavailableError(`reconciliation file refused: ${answer.code} ${answer.message}`);
  const bank: BankRecord[] = answer.records.map((record) => ({
    requestNo: record.requestNo,
    serviceName: record.serviceName,
    status: record.status,
    amountFen: record.amountFen === null ? null : BigInt(record.amountFen),
  }));
  return { date, lines: reconcile(platform, bank) };
}
