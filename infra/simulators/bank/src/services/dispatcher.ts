import { forkEntityManager } from '@wanxin/platform';
import { BankRefusals } from '../domain/outcomes';
import type { SignedResponse } from '@wanxin/platform/bank-protocol';
import { answerBatch } from './batch';
import { executeDirect, parseCommand } from './direct';
import { openEnvelope, type OpenedRequest } from './envelope';
import { signOutcome, type Recorded } from './recording';
import { BANK_SERVICES } from './registry';
import type { BankRuntime } from './runtime';
import type { QueryService } from './service-types';

async function answerQuery(
  runtime: BankRuntime,
  request: OpenedRequest,
  service: QueryService<unknown>,
): Promise<Recorded> {
  const parsed = parseCommand((fields) => service.parse(fields), request.data);
  const outcome = parsed.ok
    ? await service.answer(forkEntityManager(runtime.orm), parsed.command, runtime)
    : parsed.outcome;
  return signOutcome(runtime, request, outcome);
}

/**
 * POST /service: verify, then answer. Queries are answered fresh; every other direct service runs
 * exactly once per requestNo (services/recording.ts), alone or in a batch (services/batch.ts). Page
 * services are refused here: they need the user's trade password on the bank's page.
 */
export async function answerServiceRequest(
  runtime: BankRuntime,
  raw: Record<string, unknown> | null,
): Promise<SignedResponse> {
  const opening = openEnvelope(runtime, raw);
  if (!opening.ok) return signOutcome(runtime, opening.request, opening.outcome).response;
  const { request } = opening;
  const entry = BANK_SERVICES[request.serviceName];
  switch (entry.kind) {
    case 'PAGE':
      return signOutcome(runtime, request, BankRefusals.notAPageService(request.serviceName)).response;
    case 'QUERY':
      return (await answerQuery(runtime, request, entry.service)).response;
    case 'DIRECT':
      return (await executeDirect(runtime, request, entry.service)).response;
    case 'BATCH':
      return (await answerBatch(runtime, request)).response;
    default: {
      const never: never = entry;
      throw new Error(`unknown service kind ${JSON.stringify(never)}`);
    }
  }
}
