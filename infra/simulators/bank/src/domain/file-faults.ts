import { assert } from '@wanxin/platform';
import {
  BANK_CODES,
  isAccountingDate,
  isBankServiceName,
  REQUEST_NO_PATTERN,
  type ReconciliationRecord,
} from '@wanxin/platform/bank-protocol';

/**
 * Mistakes an operator tells the simulator to make in its reconciliation files, as a real bank's files
 * sometimes carry them: a request left out, its amount or status or service written wrong, a record of a
 * request the platform never sent. They change only what QUERY_RECONCILIATION reports, never the ledger:
 * the platform's reconciliation must find each one.
 */
export const FILE_FAULT_KINDS = ['OMIT', 'AMOUNT', 'STATUS', 'SERVICE'] as const;
export type FileFaultKind = (typeof FILE_FAULT_KINDS)[number];

/** Faults held at once, at most: a test injects a handful. */
export const FILE_FAULTS_MAX = 1000;

/** One record of a request the platform never sent, in the file of `date`. */
export interface PhantomRecord {
  date: string;
  record: ReconciliationRecord;
}

export class ReconciliationFileFaults {
  private readonly faults = new Map<string, FileFaultKind>();
  private readonly phantoms: PhantomRecord[] = [];

  /** The record of `requestNo` is to be reported with `kind` of mistake. */
  corrupt(requestNo: string, kind: FileFaultKind): void {
    assert(this.faults.size + this.phantoms.length < FILE_FAULTS_MAX, `at most ${FILE_FAULTS_MAX} file faults`);
    this.faults.set(requestNo, kind);
  }

  invent(phantom: PhantomRecord): void {
    assert(this.faults.size + this.phantoms.length < FILE_FAULTS_MAX, `at most ${FILE_FAULTS_MAX} file faults`);
    this.phantoms.push(phantom);
  }

  /** The file of `date` as the faults make it. */
  apply(date: string, records: readonly ReconciliationRecord[]): ReconciliationRecord[] {
    const reported = records.flatMap((record) => {
      const kind = this.faults.get(record.requestNo);
      return kind === undefined ? [record] : miswritten(record, kind);
    });
    return [...reported, ...this.phantoms.filter((phantom) => phantom.date === date).map(({ record }) => record)];
  }
}

function miswritten(record: ReconciliationRecord, kind: FileFaultKind): ReconciliationRecord[] {
  switch (kind) {
    case 'OMIT':
      return [];
    case 'AMOUNT':
      return [{ ...record, amountFen: ((record.amountFen === null ? 0n : BigInt(record.amountFen)) + 1n).toString() }];
    case 'STATUS':
      return [{ ...record, status: record.status === 'SUCCESS' ? 'FAILED' : 'SUCCESS' }];
    case 'SERVICE':
      return [{ ...record, serviceName: record.serviceName === 'WITHDRAW' ? 'RECHARGE' : 'WITHDRAW' }];
    default:
      return kind satisfies never;
  }
}

export type FileFault = { requestNo: string; kind: FileFaultKind } | PhantomRecord;

/** An operator's fault from its JSON text, or null when malformed. */
export function parseFileFault(text: string): FileFault | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const body = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { requestNo, fault, date, phantom } = body;
  if (typeof requestNo === 'string' && REQUEST_NO_PATTERN.test(requestNo))
    return (FILE_FAULT_KINDS as readonly unknown[]).includes(fault)
      ? { requestNo, kind: fault as FileFaultKind }
      : null;
  const record = (typeof phantom === 'object' && phantom !== null ? phantom : {}) as Record<string, unknown>;
  const valid =
    isAccountingDate(date) &&
    typeof record.requestNo === 'string' &&
    REQUEST_NO_PATTERN.test(record.requestNo) &&
    isBankServiceName(record.serviceName) &&
    typeof record.amountFen === 'string' &&
    /^[0-9]{1,15}$/.test(record.amountFen);
  if (!valid) return null;
  const invented: ReconciliationRecord = {
    requestNo: record.requestNo as string,
    serviceName: record.serviceName as string,
    status: 'SUCCESS',
    code: BANK_CODES.SUCCESS,
    amountFen: record.amountFen as string,
  };
  return { date: date as string, record: invented };
}
