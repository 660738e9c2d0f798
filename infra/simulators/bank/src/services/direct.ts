import { BankRefusals, type Outcome } from '../domain/outcomes';
import { ParameterError, RequestFields } from '../domain/request-fields';
import { lookupsIn, type PrefetchedLookups } from './lookups';
import {
  answerOfEarlier,
  findRecorded,
  recordFailure,
  runRecorded,
  type Earlier,
  type Recorded,
  type VerifiedRequest,
} from './recording';
import type { BankRuntime } from './runtime';
import type { DirectService } from './service-types';

/** reqData → a service's command, or the 00003 naming the first bad field. */
export function parseCommand<T>(
  parse: (fields: RequestFields) => T,
  data: unknown,
): { ok: true; command: T } | { ok: false; outcome: Outcome } {
  try {
    return { ok: true, command: parse(RequestFields.of(data)) };
  } catch (error) {
    if (error instanceof ParameterError)
      return { ok: false, outcome: BankRefusals.badParameter(error.field, error.reason) };
    throw error;
  }
}

/** What a batch read for one of its items before running it. */
export interface BatchReads {
  earlier: Earlier;
  lookups: PrefetchedLookups;
}

/**
 * A direct service's request, applied once under its requestNo: a repeat gets the stored answer.
 * An item of a batch comes with what the batch already read for it.
 */
export async function executeDirect(
  runtime: BankRuntime,
  request: VerifiedRequest & { data: unknown },
  service: DirectService<unknown>,
  batch?: BatchReads,
): Promise<Recorded> {
  const earlier = batch === undefined ? await findRecorded(runtime, request) : batch.earlier;
  if (earlier !== null) return answerOfEarlier(runtime, request, earlier);
  const parsed = parseCommand((fields) => service.parse(fields), request.data);
  if (!parsed.ok) return recordFailure(runtime, request, parsed.outcome);
  return runRecorded(runtime, request, (tx) =>
    service.execute(
      {
        tx,
        requestNo: request.requestNo,
        accountingDate: request.accountingDate!,
        settings: runtime.settings,
        lookups: batch === undefined ? lookupsIn(tx) : batch.lookups.within(tx),
      },
      parsed.command,
    ),
  );
}
