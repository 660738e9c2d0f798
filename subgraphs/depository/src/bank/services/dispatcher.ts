import { forkEntityManager } from '@wanxin/platform';
import { BankRefusals, type Outcome } from '../domain/outcomes';
import { ParameterError, RequestFields } from '../domain/request-fields';
import type { SignedResponse } from '../protocol';
import { openEnvelope, type OpenedRequest } from './envelope';
import { answerOfEarlier, findRecorded, recordFailure, runRecorded, signOutcome, type Recorded } from './recording';
import { BANK_SERVICES } from './registry';
import type { BankRuntime } from './runtime';
import type { DirectService, QueryService } from './service-types';

/** reqData → a service's command, or the 00003 naming the first bad field. */
export function parseCommand<T>(parse: (fields: RequestFields) => T, data: unknown): { ok: true; command: T } | { ok: false; outcome: Outcome } {
  try {
    return { ok: true, command: parse(RequestFields.of(data)) };
  } catch (error) {
    if (error instanceof ParameterError) return { ok: false, outcome: BankRefusals.badParameter(error.field, error.reason) };
    throw error;
  }
}

async function answerQuery(runtime: BankRuntime, request: OpenedRequest, service: QueryService<unknown>): Promise<Recorded> {
  const parsed = parseCommand((fields) => service.parse(fields), request.data);
  const outcome = parsed.ok ? await service.answer(forkEntityManager(runtime.orm), parsed.command) : parsed.outcome;
  return signOutcome(runtime, request.requestNo, outcome);
}

async function executeDirect(runtime: BankRuntime, request: OpenedRequest, service: DirectService<unknown>): Promise<Recorded> {
  const earlier = await findRecorded(runtime, request);
  if (earlier !== null) return answerOfEarlier(runtime, request, earlier);
  const parsed = parseCommand((fields) => service.parse(fields), request.data);
  if (!parsed.ok) return recordFailure(runtime, request, parsed.outcome);
  return runRecorded(runtime, request, (tx) => service.execute({ tx, requestNo: request.requestNo, settings: runtime.settings }, parsed.command));
}

/**
 * POST /service: verify, then answer. Queries are answered fresh; every other direct service runs
 * exactly once per requestNo (services/recording.ts). Page services are refused here: they need the
 * user's trade password on the bank's page.
 */
export async function answerServiceRequest(runtime: BankRuntime, raw: Record<string, unknown> | null): Promise<SignedResponse> {
  const opening = openEnvelope(runtime, raw);
  if (!opening.ok) return signOutcome(runtime, opening.requestNo, opening.outcome).response;
  const { request } = opening;
  const entry = BANK_SERVICES[request.serviceName];
  switch (entry.kind) {
    case 'PAGE':
      return signOutcome(runtime, request.requestNo, BankRefusals.notAPageService(request.serviceName)).response;
    case 'QUERY':
      return (await answerQuery(runtime, request, entry.service)).response;
    case 'DIRECT':
      return (await executeDirect(runtime, request, entry.service)).response;
    default: {
      const never: never = entry;
      throw new Error(`unknown service kind ${JSON.stringify(never)}`);
    }
  }
}
