import { forkEntityManager } from '@wanxin/platform';
import { BANK_CODES, RECONCILIATION_RECORDS_MAX } from '../bank/protocol';
import { BankUnavailableError } from '../agent/bank-client';
import { newRequestNo } from '../domain/depository-request';
import { reconcile, type BankRecord, type PlatformRecord, type ReconciliationLine } from '../domain/reconciliation';
import { DepositoryRequest } from '../entities/depository-request.entity';
import type { DepositoryServices } from '../services';

export interface ReconciliationReport {
  date: string;
  lines: ReconciliationLine[];
}

/**
 * The daily reconciliation (对账) of one UTC day: the platform's records against the bank's file.
 * Run on its own (admin query) now; the daily job run calls the same function.
 */
export async function reconcileDay(services: DepositoryServices, date: string): Promise<ReconciliationReport> {
  const start = new Date(`${date}T00:00:00.000Z`);
  const end = new Date(start.getTime() + 86_400_000);
  const rows = await forkEntityManager(services.orm).find(
    DepositoryRequest,
    { createdAt: { $gte: start, $lt: end } },
    { orderBy: { requestNo: 'asc' }, limit: RECONCILIATION_RECORDS_MAX },
  );
  const platform: PlatformRecord[] = rows.map((row) => ({ requestNo: row.requestNo, serviceName: row.serviceName, status: row.status, amountFen: row.amountFen }));
  const answer = await services.bank.call('QUERY_RECONCILIATION', { requestNo: newRequestNo('QUERY_RECONCILIATION'), date });
  if (answer.code !== BANK_CODES.SUCCESS) throw new BankUnavailableError(`reconciliation file refused: ${answer.code} ${answer.message}`);
  const bank: BankRecord[] = answer.records.map((record) => ({
    requestNo: record.requestNo,
    serviceName: record.serviceName,
    status: record.status,
    amountFen: record.amountFen === null ? null : BigInt(record.amountFen),
  }));
  return { date, lines: reconcile(platform, bank) };
}
