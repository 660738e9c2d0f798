import { assert, forkEntityManager, insertRows, type EntityManager } from '@wanxin/platform';
import type { PendingTransfer } from '../domain/ledger';
import { withPostings, type Outcome } from '../domain/outcomes';
import { BankFreeze } from '../entities/bank-freeze.entity';
import { BankRequest } from '../entities/bank-request.entity';
import { parseCommand } from './direct';
import { applyTransferGroups, openPendingTransfers } from './ledger-store';
import { outcomeOfLedgerRefusal } from './ledger-refusals';
import type { KnownRows } from './lookups';
import { lockProjects } from './project-store';
import { isRetryable, requestRecord, signOutcome, type Recorded, type VerifiedRequest } from './recording';
import type { BankRuntime } from './runtime';
import type { DirectService, TogetherWork } from './service-types';

/**
 * A batch's items applied together: one transaction for all the items whose work can be planned from
 * the batch's rows (services' `together`), in about ten statements whatever their number, where one by
 * one each item is a transaction of its own of about ten. The rules are the items' own: an item that
 * would overdraw an account is refused here with the answer it gets alone (a due day's collections from
 * borrowers without the money are refused by the thousand); one whose project is not in an allowed
 * status or whose freeze is already settled is left out here and runs alone afterwards, which refuses it
 * and says why. Anything unexpected — a twin request recording the same requestNo, a deadlock, money
 * moved by another transaction between the read and the write — rolls the whole group back, and every
 * item runs alone, as if this had not been tried.
 */

export interface BatchItemRequest {
  request: VerifiedRequest & { data: unknown };
  service: DirectService<unknown>;
}

/** Below this many items the shared transaction saves nothing. */
const TOGETHER_ITEMS_MIN = 2;

interface Planned {
  request: VerifiedRequest;
  work: TogetherWork;
}

class ChangedMeanwhile extends Error {
  override name = 'ChangedMeanwhile';
}

function plannedWork({ request, service }: BatchItemRequest, known: KnownRows): Planned | null {
  if (service.together === undefined) return null;
  const parsed = parseCommand((fields) => service.parse(fields), request.data);
  if (!parsed.ok) return null;
  const work = service.together(known, parsed.command, request.requestNo);
  return work === null ? null : { request, work };
}

/** The items whose project takes them and whose freeze to settle is still open (and is the one planned). */
async function stillApplicable(tx: EntityManager, items: readonly Planned[]): Promise<Planned[]> {
  const statuses = await lockProjects(
    tx,
    items.map(({ work }) => work.projectNo),
  );
  const settled = items.flatMap(({ work }) => (work.settles === null ? [] : [work.settles.id]));
  const pendings =
    settled.length === 0 ? new Map<string, PendingTransfer | 'SETTLED'>() : await openPendingTransfers(tx, settled);
  const settledHere = new Set<string>();
  return items.filter(({ work }) => {
    const status = statuses.get(work.projectNo);
    if (status === undefined || !work.projectStatuses.includes(status)) return false;
    if (work.settles === null) return true;
    const stored = pendings.get(work.settles.id);
    assert(stored !== undefined, `freeze transfer ${work.settles.id} was not read`);
    // A second item settling the same freeze runs alone, after this one, and is refused there.
    if (stored === 'SETTLED' || settledHere.has(work.settles.id)) return false;
    settledHere.add(work.settles.id);
    assert(
      stored.debitAccountId === work.settles.debitAccountId &&
        stored.creditAccountId === work.settles.creditAccountId &&
        stored.amountFen === work.settles.amountFen,
      `freeze transfer ${work.settles.id} is not the one its freeze describes`,
    );
    return true;
  });
}

async function applyPlanned(
  runtime: BankRuntime,
  tx: EntityManager,
  items: readonly Planned[],
): Promise<Map<string, Recorded>> {
  const applicable = await stillApplicable(tx, items);
  const groups = await applyTransferGroups(
    tx,
    applicable.map(({ request, work }) => ({ requestNo: request.requestNo, requests: work.transfers })),
  );
  if (groups === 'CHANGED_MEANWHILE') throw new ChangedMeanwhile();
  const applied = groups.applied.map((index) => applicable[index]);
  const createdAt = new Date();
  await insertRows(
    tx,
    BankFreeze,
    applied.flatMap(({ work }) => (work.freeze === null ? [] : [{ ...work.freeze, createdAt }])),
  );
  const recorded = new Map<string, Recorded>();
  const records: BankRequest[] = [];
  const answer = (request: VerifiedRequest, outcome: Outcome) => {
    const signed = signOutcome(runtime, request, outcome);
    recorded.set(request.requestNo, signed);
    records.push(requestRecord(request, outcome, signed, createdAt));
  };
  applied.forEach(({ request, work }, position) =>
    answer(request, withPostings(work.outcome, groups.postings[position])),
  );
  for (const { index, refusal, account } of groups.refused)
    answer(applicable[index].request, outcomeOfLedgerRefusal(refusal, account));
  // Last, as for a single request: a twin that recorded one of these requestNos first fails the whole group.
  await insertRows(tx, BankRequest, records);
  return recorded;
}

/**
 * Applies what it can of a batch's new items together; returns their answers by requestNo. The items
 * not answered must be run alone.
 */
export async function applyTogether(
  runtime: BankRuntime,
  items: readonly BatchItemRequest[],
  known: KnownRows,
): Promise<Map<string, Recorded>> {
  const planned = items.flatMap((item) => plannedWork(item, known) ?? []);
  if (planned.length < TOGETHER_ITEMS_MIN) return new Map();
  try {
    return await forkEntityManager(runtime.orm).transactional((tx) => applyPlanned(runtime, tx, planned));
  } catch (error) {
    if (!(error instanceof ChangedMeanwhile) && !isRetryable(error)) throw error;
    runtime.logger.debug(
      { items: planned.length, err: error },
      'batch items applied one by one after a concurrent change',
    );
    return new Map();
  }
}
