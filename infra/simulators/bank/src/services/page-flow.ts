import { forkEntityManager, newId } from '@wanxin/platform';
import { BankRefusals, type Outcome } from '../domain/outcomes';
import { FORM_LIFETIME_MS, formLife } from '../domain/page-form';
import {
  hashTradePassword,
  TRADE_PASSWORD_FORM_TRIES_MAX,
  TRADE_PASSWORD_WINDOW_MS,
  tradePasswordLock,
  tradePasswordProblem,
  verifyTradePassword,
} from '../domain/trade-password';
import { BankTradePasswordTry } from '../entities/bank-trade-password-try.entity';
import { BankUser } from '../entities/bank-user.entity';
import { BANK_CODES, type BankResultBase } from '@wanxin/platform/bank-protocol';
import { parseCommand } from './direct';
import { lookupsIn } from './lookups';
import { openEnvelope, type OpenedRequest } from './envelope';
import { findRecorded, recordFailure, runRecorded, type Earlier, type Recorded } from './recording';
import { BANK_SERVICES } from './registry';
import type { BankRuntime } from './runtime';
import type { PageLine, PageService } from './service-types';

/** What the bank's page shows; http/page.ts renders it. */
export type PageView =
  | {
      kind: 'FORM';
      status: number;
      title: string;
      lines: PageLine[];
      passwordMode: 'CHOOSE' | 'CHECK';
      hiddenFields: Record<string, string>;
      error: string | null;
    }
  | { kind: 'RESULT'; status: number; title: string; result: BankResultBase; replayed: boolean }
  | { kind: 'ERROR'; status: number; title: string; code: string; message: string };

type PageCommand = { userNo: string };

interface PageRequest {
  request: OpenedRequest;
  service: PageService<PageCommand>;
}

function errorView(status: number, outcome: Outcome): PageView {
  return {
    kind: 'ERROR',
    status,
    title: 'The bank cannot process this request',
    code: outcome.code,
    message: outcome.message,
  };
}

function resultView(service: PageService<PageCommand>, recorded: Recorded): PageView {
  return { kind: 'RESULT', status: 200, title: service.title, result: recorded.result, replayed: recorded.replayed };
}

/** A request seen before: its stored result (nothing runs again), or the refusal of a reused requestNo. */
function earlierView(service: PageService<PageCommand>, earlier: NonNullable<Earlier>): PageView {
  return earlier.kind === 'STORED' ? resultView(service, earlier.recorded) : errorView(400, earlier.refusal);
}

function formView(page: PageRequest, lines: PageLine[], error: string | null, status = 200): PageView {
  const { service, request } = page;
  return {
    kind: 'FORM',
    status,
    title: service.title,
    lines,
    passwordMode: service.passwordMode,
    hiddenFields: { ...request.envelope },
    error,
  };
}

/** The verified page request, or the page that explains why there is none. */
async function openPage(runtime: BankRuntime, raw: Record<string, unknown> | null): Promise<PageRequest | PageView> {
  const opening = openEnvelope(runtime, raw);
  if (!opening.ok) return errorView(400, opening.outcome);
  const entry = BANK_SERVICES[opening.request.serviceName];
  if (entry.kind !== 'PAGE') return errorView(400, BankRefusals.onlyAPageService(opening.request.serviceName));
  return { request: opening.request, service: entry.service };
}

/**
 * Why the form cannot be used now, or null: no valid `issuedAt`, or one ahead of the bank's clock (00003,
 * not recorded, like any malformed request), or past its lifetime (30053).
 */
function formRefusal(request: OpenedRequest, now = new Date()): Outcome | null {
  switch (formLife((request.data as { issuedAt?: unknown }).issuedAt, now)) {
    case 'LIVE':
      return null;
    case 'EXPIRED':
      return BankRefusals.formExpired(request.requestNo, FORM_LIFETIME_MS / 60_000);
    case 'FUTURE':
      return BankRefusals.badParameter('issuedAt', "is later than the bank's clock allows");
    case 'MALFORMED':
      return BankRefusals.badParameter('issuedAt', 'must be when the platform issued the form, ISO 8601 in UTC');
  }
}

async function holderOf(runtime: BankRuntime, userNo: string): Promise<BankUser | null> {
  return forkEntityManager(runtime.orm).findOne(BankUser, { userNo }, { populate: ['tradePasswordHash'] });
}

/** GET /gateway, or POST without `password`: show what is being authorised and ask for the trade password. */
export async function viewPage(runtime: BankRuntime, raw: Record<string, unknown> | null): Promise<PageView> {
  const page = await openPage(runtime, raw);
  if ('kind' in page) return page;
  const earlier = await findRecorded(runtime, page.request);
  if (earlier !== null) return earlierView(page.service, earlier);
  const refused = formRefusal(page.request);
  if (refused !== null) return errorView(refused.code === BANK_CODES.FORM_EXPIRED ? 410 : 400, refused);
  const parsed = parseCommand((fields) => page.service.parse(fields), page.request.data);
  if (!parsed.ok) return errorView(400, parsed.outcome);
  const holder = page.service.passwordMode === 'CHECK' ? await holderOf(runtime, parsed.command.userNo) : null;
  if (page.service.passwordMode === 'CHECK' && holder === null)
    return errorView(404, BankRefusals.userNotFound(parsed.command.userNo));
  return formView(page, page.service.describe(parsed.command, holder), null);
}

/** Tries read per check: far above the limits, so a user with more is locked whichever rows are read. */
const TRIES_READ_MAX = 100;

/** A wrong-try record for this submission, written (committed) before the password is checked. */
interface TradePasswordTry {
  id: string;
  lock: 'FORM' | 'ACCOUNT' | null;
  /** Wrong tries before this one, on this form and of this user (within the window). */
  onForm: number;
  ofUser: number;
}

async function recordTry(runtime: BankRuntime, userNo: string, requestNo: string): Promise<TradePasswordTry> {
  const em = forkEntityManager(runtime.orm);
  const triedAt = new Date();
  const id = newId();
  await em.insert(BankTradePasswordTry, { id, userNo, requestNo, triedAt });
  // Read after the insert, in one statement: of any number of concurrent tries, the n-th to commit sees
  // at least n rows, so no more than the limit are ever checked. The others than this one came before it.
  const since = new Date(triedAt.getTime() - TRADE_PASSWORD_WINDOW_MS);
  const tries = await em.find(
    BankTradePasswordTry,
    { userNo, triedAt: { $gt: since }, id: { $ne: id } },
    { fields: ['requestNo'], limit: TRIES_READ_MAX },
  );
  const onForm = tries.filter((tried) => tried.requestNo === requestNo).length;
  return { id, lock: tradePasswordLock(onForm, tries.length), onForm, ofUser: tries.length };
}

function lockRefusal(lock: 'FORM' | 'ACCOUNT', requestNo: string, onForm: number, ofUser: number): Outcome {
  return lock === 'FORM' ? BankRefusals.formLocked(requestNo, onForm) : BankRefusals.tradePasswordLocked(ofUser);
}

/**
 * The trade password's part: CHOOSE hashes an acceptable new password; CHECK verifies the holder's.
 * A refused choice or a wrong password re-shows the form: nothing is recorded and no notification goes
 * out, until the form's or the user's wrong tries reach their limit: then the request is refused
 * (30051, 30052), recorded and notified, whatever password comes next.
 */
async function authorise(
  runtime: BankRuntime,
  page: PageRequest,
  command: PageCommand,
  password: string,
): Promise<{ hash: string | null } | PageView | Outcome> {
  if (page.service.passwordMode === 'CHOOSE') {
    const problem = tradePasswordProblem(password, page.service.mobilesOf?.(command) ?? []);
    if (problem !== null) return formView(page, page.service.describe(command, null), problem, 400);
    return { hash: await hashTradePassword(password) };
  }
  const holder = await holderOf(runtime, command.userNo);
  if (holder === null) return BankRefusals.userNotFound(command.userNo);
  const { requestNo } = page.request;
  const attempt = await recordTry(runtime, command.userNo, requestNo);
  // Only wrong passwords stay counted: a try refused by a lock was never checked, a right one is no guess.
  const forget = () => forkEntityManager(runtime.orm).nativeDelete(BankTradePasswordTry, { id: attempt.id });
  if (attempt.lock !== null) {
    await forget();
    return lockRefusal(attempt.lock, requestNo, attempt.onForm, attempt.ofUser);
  }
  if (await verifyTradePassword(password, holder.tradePasswordHash)) {
    await forget();
    return { hash: null };
  }
  const lockNow = tradePasswordLock(attempt.onForm + 1, attempt.ofUser + 1);
  if (lockNow !== null) return lockRefusal(lockNow, requestNo, attempt.onForm + 1, attempt.ofUser + 1);
  const left = TRADE_PASSWORD_FORM_TRIES_MAX - attempt.onForm - 1;
  const error = `Wrong trade password. Nothing was done. ${left} ${left === 1 ? 'try' : 'tries'} left on this form.`;
  return formView(page, page.service.describe(command, holder), error, 403);
}

/** POST /gateway with `password`: authorise, then run the service once; its result is also notified. */
export async function submitPage(
  runtime: BankRuntime,
  raw: Record<string, unknown> | null,
  password: string,
): Promise<PageView> {
  const page = await openPage(runtime, raw);
  if ('kind' in page) return page;
  const { request, service } = page;
  const earlier = await findRecorded(runtime, request);
  if (earlier !== null) return earlierView(service, earlier);
  const refused = formRefusal(request);
  // An expired form is refused for good, recorded and notified, so the platform settles its request at once.
  if (refused?.code === BANK_CODES.FORM_EXPIRED)
    return resultView(service, await recordFailure(runtime, request, refused));
  if (refused !== null) return errorView(400, refused);
  const parsed = parseCommand((fields) => service.parse(fields), request.data);
  if (!parsed.ok) return resultView(service, await recordFailure(runtime, request, parsed.outcome));
  const authorised = await authorise(runtime, page, parsed.command, password);
  if ('kind' in authorised) return authorised;
  if ('code' in authorised) return resultView(service, await recordFailure(runtime, request, authorised));
  const recorded = await runRecorded(runtime, request, (tx) =>
    service.execute(
      {
        tx,
        requestNo: request.requestNo,
        accountingDate: request.accountingDate!,
        settings: runtime.settings,
        lookups: lookupsIn(tx),
      },
      parsed.command,
      authorised.hash,
    ),
  );
  return resultView(service, recorded);
}
