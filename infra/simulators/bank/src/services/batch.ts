import { forkEntityManager, mapBounded } from '@wanxin/platform';
import { BankRefusals, succeeded, type Outcome } from '../domain/outcomes';
import { ParameterError, RequestFields } from '../domain/request-fields';
import {
  BATCH_ITEMS_MAX,
  DIRECT_SERVICE_NAMES,
  REQUEST_NO_PATTERN,
  type DirectServiceName,
} from '@wanxin/platform/bank-protocol';
import { REPAYMENT_DETAILS_MAX } from './confirm-repayment';
import { executeDirect } from './direct';
import { accountingDateOf, ACCOUNTING_DATE_HINT } from './envelope';
import { PrefetchedLookups, type LookupKeys } from './lookups';
import type { OpenedRequest } from './envelope';
import { bodySha256, findRecordedMany, signOutcome, type Recorded, type VerifiedRequest } from './recording';
import { BANK_SERVICES } from './registry';
import type { BankRuntime } from './runtime';
import type { DirectService } from './service-types';
import { applyTogether } from './together';

/**
 * Items of one batch applied at the same time. Each is its own transaction, as if it had come alone;
 * the bound keeps one batch from taking every database connection from single requests.
 */
const BATCH_CONCURRENCY = 8;
/** An item's JSON text, at most: a CONFIRM_REPAYMENT paying a thousand investors is about 120 KB. */
const ITEM_JSON_LENGTH_MAX = 512 * 1024;

interface BatchEntry extends VerifiedRequest {
  serviceName: DirectServiceName;
  data: unknown;
}

function itemEntry(runtime: BankRuntime, fields: RequestFields, index: number): BatchEntry {
  const serviceName = fields.oneOf('serviceName', DIRECT_SERVICE_NAMES);
  const json = fields.text('reqData', ITEM_JSON_LENGTH_MAX);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new ParameterError(`items[${index}].reqData`, 'must be the JSON text of the instruction');
  }
  const requestNo = typeof data === 'object' && data !== null ? (data as { requestNo?: unknown }).requestNo : undefined;
  if (typeof requestNo !== 'string' || !REQUEST_NO_PATTERN.test(requestNo)) {
    throw new ParameterError(`items[${index}].reqData.requestNo`, 'must be 1 to 40 letters, digits, _ or -');
  }
  const accountingDate = accountingDateOf(data);
  if (accountingDate === null) throw new ParameterError(`items[${index}].reqData.accountingDate`, ACCOUNTING_DATE_HINT);
  return {
    serviceName,
    platformNo: runtime.settings.platformNo,
    requestNo,
    bodySha256: bodySha256(serviceName, json),
    accountingDate,
    data,
  };
}

/** The batch's items, checked as a whole: a malformed or repeated item refuses the batch before anything runs. */
function batchEntries(runtime: BankRuntime, data: unknown): BatchEntry[] | Outcome {
  try {
    const entries = RequestFields.of(data)
      .list('items', BATCH_ITEMS_MAX)
      .map((fields, index) => itemEntry(runtime, fields, index));
    const seen = new Set<string>();
    for (const entry of entries) {
      if (seen.has(entry.requestNo))
        return BankRefusals.badParameter('items', `requestNo ${entry.requestNo} appears twice`);
      seen.add(entry.requestNo);
    }
    return entries;
  } catch (error) {
    if (error instanceof ParameterError) return BankRefusals.badParameter(error.field, error.reason);
    throw error;
  }
}

/** The users, projects and freezes the items name (fields as the services read them), to read them at once. */
function lookupKeys(entries: readonly BatchEntry[]): LookupKeys {
  const keys: LookupKeys = { userNos: [], projectNos: [], freezeRequestNos: [] };
  const text = (value: unknown): value is string => typeof value === 'string' && REQUEST_NO_PATTERN.test(value);
  for (const { data } of entries) {
    const fields = data as {
      userNo?: unknown;
      sellerUserNo?: unknown;
      buyerUserNo?: unknown;
      projectNo?: unknown;
      preRequestNo?: unknown;
      details?: unknown;
    };
    for (const userNo of [fields.userNo, fields.sellerUserNo, fields.buyerUserNo])
      if (text(userNo)) keys.userNos.push(userNo);
    if (text(fields.projectNo)) keys.projectNos.push(fields.projectNo);
    if (text(fields.preRequestNo)) keys.freezeRequestNos.push(fields.preRequestNo);
    if (Array.isArray(fields.details)) {
      for (const detail of fields.details.slice(0, REPAYMENT_DETAILS_MAX))
        if (text((detail as { userNo?: unknown })?.userNo)) keys.userNos.push((detail as { userNo: string }).userNo);
    }
  }
  return keys;
}

function directService(serviceName: DirectServiceName): DirectService<unknown> {
  const entry = BANK_SERVICES[serviceName];
  if (entry.kind !== 'DIRECT') throw new Error(`${serviceName} is listed as direct but registered as ${entry.kind}`);
  return entry.service;
}

/**
 * BATCH_TRANSACTION: one signature for many direct instructions. Each item is recorded and applied
 * exactly once under its own requestNo, with its own stored answer — the same as sending it alone, so
 * an item may be retried alone or in another batch. The items that can go together are applied in one
 * transaction (together.ts); the others, each as its own. The answer lists every item's result in order.
 */
export async function answerBatch(runtime: BankRuntime, request: OpenedRequest): Promise<Recorded> {
  const entries = batchEntries(runtime, request.data);
  if (!Array.isArray(entries)) return signOutcome(runtime, request, entries);
  const earlier = await findRecordedMany(runtime, entries);
  const fresh = entries.filter((entry) => !earlier.has(entry.requestNo));
  const lookups = await PrefetchedLookups.read(forkEntityManager(runtime.orm), lookupKeys(fresh));
  const together = await applyTogether(
    runtime,
    fresh.map((entry) => ({ request: entry, service: directService(entry.serviceName) })),
    lookups,
  );
  const recorded = await mapBounded(
    entries,
    BATCH_CONCURRENCY,
    async (entry) =>
      together.get(entry.requestNo) ??
      executeDirect(runtime, entry, directService(entry.serviceName), {
        earlier: earlier.get(entry.requestNo) ?? null,
        lookups,
      }),
  );
  return signOutcome(runtime, request, succeeded({ results: recorded.map((item) => item.result) }));
}
