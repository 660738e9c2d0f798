import {
  addDays,
  addToStatisticsDays,
  assert,
  chunksOf,
  daysBetween,
  mapBounded,
  newId,
  publishEvent,
  retryingLockConflicts,
  rowLockOptions,
  SQL_LIST_MAX,
  type EntityManager,
} from '@wanxin/platform';
import { RepaymentErrors } from '../domain/errors';
import { INSTALLMENT_TRANSITIONS, UNPAID_STATUSES } from '../domain/installment-status';
import { netPenaltyFen, overdueDaysOn, penaltyFen } from '../domain/overdue';
import { CollectionCase } from '../entities/collection-case.entity';
import { BusinessClock, BUSINESS_CLOCK_ID } from '../entities/business-clock.entity';
import { Collection } from '../entities/collection.entity';
import { Installment } from '../entities/installment.entity';
import { StatisticsDay } from '../entities/statistics-day.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { BUSINESS_DATE_AGGREGATE, BusinessDateAdvanced, InstallmentOverdue } from '@wanxin/platform/contracts';
import { updateCollectionCases } from './collection-cases';
import { collectInstallments, type CollectOutcome } from '../operations/collect';
import type { RepaymentsServices } from '../services';
import { dueSoonReminderDate } from '../domain/reminders';
import { createReminders } from './reminders';
import { setInstallmentsOverdue } from '../store';
import { endListings, openListingsOfLoans } from '../operations/transfer-listings';
import { listingCutoffDate } from '../domain/transfer';
import { Transfer } from '../entities/transfer.entity';
import { settleTransfers } from './settle-transfers';

/** Days one run may move the business date: ten years and then some. */
export const RUN_DAYS_MAX = 4_000;
/**
 * Installments read per page in each step of a day. A page of collections is cut into bank batches: the
 * end of each page lets the batch slots run dry, so pages are large (measured: 500 → 2000 took the
 * 10,000-installment day from 64.9 s to 61.9 s).
 */
export const INSTALLMENT_PAGE_MAX = 2_000;
/** Pages one step of a day reads at most (listings to expire): far more than a day ever has. */
export const RUN_PAGES_MAX = 10_000;

export interface JobReport {
  businessDate: string;
  daysRun: number;
  installmentsRepaid: number;
  /** Freezes the bank refused (not enough money): those installments are or stay OVERDUE. */
  collectionsRefused: number;
  /** Freezes without an answer: the settle pass asks again. */
  collectionsUnanswered: number;
  installmentsOverdue: number;
  remindersCreated: number;
  loansSettled: number;
  collectionCasesOpened: number;
  collectionCasesClosed: number;
  /** OPEN collection cases once the run is done. */
  collectionCasesOpen: number;
  /**
   * Installments not sent because other work on their loan stayed at the bank through the retries (a sale of
   * a holding, an earlier collection unanswered): the next run collects them.
   */
  collectionsBusy: number;
}

/**
 * `runDailyJobs(date)`: moves the business date forward to `date`, one day at a time, running every
 * daily job of each day — so a skipped day is caught up — and `date` equal to the business date runs
 * that day again (every step is idempotent). One run at a time, by a lease on the clock row.
 */
export async function runDailyJobs(
  em: EntityManager,
  services: RepaymentsServices,
  targetDate: string,
  now: Date,
): Promise<JobReport> {
  const runId = newId();
  // A lease not renewed for runLeaseMs belonged to a run whose process died: it may be taken over.
  const claimed = await em.fork().nativeUpdate(
    BusinessClock,
    {
      id: BUSINESS_CLOCK_ID,
      $or: [{ runId: null }, { runRenewedAt: { $lt: new Date(Date.now() - services.settings.runLeaseMs) } }],
    },
    { runId, runRenewedAt: new Date() },
  );
  if (claimed === 0) throw RepaymentErrors.runInProgress();
  try {
    const { businessDate } = await em.fork().findOneOrFail(BusinessClock, { id: BUSINESS_CLOCK_ID });
    if (targetDate < businessDate) throw RepaymentErrors.dateNotForward(targetDate, businessDate);
    const dayCount = daysBetween(businessDate, targetDate);
    if (dayCount > RUN_DAYS_MAX) throw RepaymentErrors.dateTooFar(targetDate, RUN_DAYS_MAX);
    const report: JobReport = {
      businessDate,
      daysRun: 0,
      installmentsRepaid: 0,
      collectionsRefused: 0,
      collectionsUnanswered: 0,
      installmentsOverdue: 0,
      remindersCreated: 0,
      loansSettled: 0,
      collectionCasesOpened: 0,
      collectionCasesClosed: 0,
      collectionCasesOpen: 0,
      collectionsBusy: 0,
    };
    const firstDay = dayCount === 0 ? businessDate : addDays(businessDate, 1);
    for (let day = firstDay; day <= targetDate;) {
      const lastDay = await lastQuietDay(em, day, targetDate);
      if (lastDay === null) await runBusinessDay({ em, services, runId, day, now, report });
      const days = daysFrom(day, lastDay ?? day);
      await advanceClock(em, runId, days, now);
      report.businessDate = days[days.length - 1];
      report.daysRun += days.length;
      day = addDays(report.businessDate, 1);
    }
    report.installmentsOverdue = await em.fork().count(Installment, { status: 'OVERDUE' });
    report.collectionCasesOpen = await em.fork().count(CollectionCase, { status: 'OPEN' });
    return report;
  } finally {
    await em.fork().nativeUpdate(BusinessClock, { id: BUSINESS_CLOCK_ID, runId }, { runId: null, runRenewedAt: null });
  }
}

/**
 * Quiet days — nothing overdue, no installment due or 2 days from due — only move
 * the clock, several in one transaction. A stretch is at most QUIET_DAYS_MAX long: a loan paid out during
 * it starts no earlier than the day before the stretch, so its first due-soon reminder (2 days before a
 * due date at least 28 days on) cannot fall inside it.
 */
const QUIET_DAYS_MAX = 25;

/** The last day of the quiet stretch starting at `day` (not past `targetDate`), or null when `day` has work. */
async function lastQuietDay(em: EntityManager, day: string, targetDate: string): Promise<string | null> {
  const fork = em.fork();
  if ((await fork.findOne(Installment, { status: 'OVERDUE' }, { fields: ['id'] })) !== null) return null;
  const nextDue = await fork.findOne(
    Installment,
    { status: 'PENDING' },
    { orderBy: { dueDate: 'asc' }, fields: ['dueDate'] },
  );
  const firstWorkDay = nextDue === null ? null : dueSoonReminderDate(nextDue.dueDate);
  if (firstWorkDay !== null && firstWorkDay <= day) return null;
  const candidates = [
    targetDate,
    addDays(day, QUIET_DAYS_MAX - 1),
    ...(firstWorkDay === null ? [] : [addDays(firstWorkDay, -1)]),
  ];
  return candidates.reduce((earliest, candidate) => (candidate < earliest ? candidate : earliest));
}

/** `first` to `last`, both included. */
function daysFrom(first: string, last: string): string[] {
  assert(first <= last, `${first} must not be after ${last}`);
  const days = [first];
  while (days[days.length - 1] < last) days.push(addDays(days[days.length - 1], 1));
  return days;
}

/** One business day of a run: what every step of the day works with, and the run's report it adds to. */
interface RunDay {
  em: EntityManager;
  services: RepaymentsServices;
  runId: string;
  day: string;
  now: Date;
  report: JobReport;
}

async function runBusinessDay(run: RunDay): Promise<void> {
  const { em, services, day, now, report } = run;
  await expireListings(em, services.settings.transfers.listingDays, day, now);
  await markOverdue(em, services.settings.penaltyDailyRateMicros, day, now);
  await collectBusy(run, await collectDue(run));
  const cases = await updateCollectionCases(em, day);
  report.collectionCasesOpened += cases.opened;
  report.collectionCasesClosed += cases.closed;
  report.remindersCreated += await createReminders(em, day, now);
}

/**
 * Every installment unpaid after its due date is OVERDUE with its overdue days and penalty as of `day`
 * (computed from the start, so a re-run or a caught-up day never accrues twice), and
 * `repayments.installment.overdue` says so. A loan with an early repayment in flight is left as it is:
 * that repayment's amount was fixed when it was asked.
 */
async function markOverdue(em: EntityManager, dailyRateMicros: number, day: string, now: Date): Promise<void> {
  const busyLoanIds = new Set(
    (await em.fork().find(Collection, { status: 'SENT', kind: 'EARLY' }, { fields: ['loanId'] })).map(
      (collection) => collection.loanId,
    ),
  );
  for (let afterId = ''; ;) {
    const page = await em
      .fork()
      .find(
        Installment,
        { status: { $in: [...UNPAID_STATUSES] }, dueDate: { $lt: day }, id: { $gt: afterId } },
        { orderBy: { id: 'asc' }, limit: INSTALLMENT_PAGE_MAX },
      );
    const changes = page
      .filter((installment) => !busyLoanIds.has(installment.loanId))
      .map((installment) => {
        const overdueDays = overdueDaysOn(installment.dueDate, day);
        return {
          installment,
          overdueDays,
          penaltyFen: netPenaltyFen(
            penaltyFen(installment.principalFen + installment.interestFen, dailyRateMicros, overdueDays),
            installment.penaltyWaivedFen,
          ),
        };
      })
      .filter(
        (change) => change.overdueDays !== change.installment.overdueDays || change.installment.status !== 'OVERDUE',
      );
    if (changes.length > 0) await recordOverdue(em, changes, day, now);
    if (page.length < INSTALLMENT_PAGE_MAX) return;
    afterId = page[page.length - 1].id;
  }
}

interface OverdueChange {
  installment: Installment;
  overdueDays: number;
  penaltyFen: bigint;
}

async function recordOverdue(em: EntityManager, changes: OverdueChange[], day: string, now: Date): Promise<void> {
  const [from, to] = INSTALLMENT_TRANSITIONS.FALL_OVERDUE;
  const borrowers = new Map(
    (
      await em
        .fork()
        .find(RepaymentLoan, { id: { $in: [...new Set(changes.map((change) => change.installment.loanId))] } })
    ).map((loan) => [loan.id, loan.borrowerId]),
  );
  await retryingLockConflicts(() =>
    em.fork().transactional(async (tx) => {
      // Only those still unpaid, locked: one repaid since the page was read is left alone.
      const unpaid = new Map(
        (
          await tx.find(
            Installment,
            { id: { $in: changes.map((change) => change.installment.id) }, status: { $in: [...from, to] } },
            { ...rowLockOptions(tx), fields: ['id', 'status'], disableIdentityMap: true },
          )
        ).map((row) => [row.id, row.status]),
      );
      const moving = changes.filter((change) => unpaid.has(change.installment.id));
      if (moving.length === 0) return;
      await setInstallmentsOverdue(
        tx,
        moving.map(({ installment, overdueDays, penaltyFen: penalty }) => ({
          id: installment.id,
          overdueDays,
          penaltyFen: penalty,
        })),
        day,
      );
      for (const { installment, overdueDays, penaltyFen: penalty } of moving) {
        const borrowerId = borrowers.get(installment.loanId);
        assert(borrowerId !== undefined, `installment ${installment.id} belongs to unknown loan ${installment.loanId}`);
        publishEvent(
          tx,
          InstallmentOverdue,
          installment.loanId,
          {
            installmentId: installment.id,
            loanId: installment.loanId,
            borrowerId,
            period: installment.period,
            overdueDays,
            penaltyFen: penalty.toString(),
            businessDate: day,
          },
          now,
        );
      }
      // A holding of a loan in arrears is off the market (one statement a page); a sale already at the bank
      // goes through, the buyer taking the overdue installment's receivable with its penalty.
      const listings = await openListingsOfLoans(
        tx,
        moving.map(({ installment }) => installment.loanId),
      );
      await endListings(
        tx,
        listings.filter((listing) => listing.status === 'LISTED'),
        'OVERDUE',
        now,
      );
      const fellOverdue = moving.filter(({ installment }) => from.includes(unpaid.get(installment.id)!));
      // Counted with the move, once a page (statistics.subscription.ts says why): the day's amount overdue, and
      // its due date's unpaid part. Last, after the flush, so the day's row is locked only until the commit.
      await tx.flush();
      await addToStatisticsDays(
        tx,
        StatisticsDay,
        fellOverdue.flatMap(({ installment }) => {
          const amountFen = installment.principalFen + installment.interestFen;
          return [
            { businessDate: day, increments: { amountOverdueFen: amountFen } },
            { businessDate: installment.dueDate, increments: { amountDueOverdueFen: amountFen } },
          ];
        }),
      );
    }),
  );
}

/**
 * Every installment due on or before `day` and unpaid is collected: a bank freeze each, sent in batches
 * with a bound on batches in flight. A loan's installments go one after another, oldest first (one
 * freeze at a time per loan), so each round of a page takes at most one per loan.
 */
async function collectDue(run: RunDay): Promise<Installment[]> {
  const { em, runId, day } = run;
  const busy: Installment[] = [];
  for (let afterId = ''; ;) {
    await renewLease(em, runId, day);
    const page = await em
      .fork()
      .find(
        Installment,
        { status: { $in: [...UNPAID_STATUSES] }, dueDate: { $lte: day }, id: { $gt: afterId } },
        { orderBy: { id: 'asc' }, limit: INSTALLMENT_PAGE_MAX },
      );
    busy.push(...(await collectInRounds(run, page)));
    if (page.length < INSTALLMENT_PAGE_MAX) return busy;
    afterId = page[page.length - 1].id;
  }
}

/** Collects installments round by round (one per loan in each), counting the outcomes; the BUSY ones. */
async function collectInRounds(
  { em, services, day, now, report }: RunDay,
  installments: readonly Installment[],
): Promise<Installment[]> {
  const { bank, settings } = services;
  const busy: Installment[] = [];
  for (const round of roundsByLoan(installments)) {
    const outcomes = (
      await mapBounded(chunksOf(round, settings.bankBatchSize), settings.bankConcurrency, (batch) =>
        collectInstallments(em.fork(), bank, batch, day, now),
      )
    ).flat();
    outcomes.forEach((outcome, index) => {
      countOutcome(report, outcome);
      if (outcome.kind === 'BUSY') busy.push(round[index]);
    });
  }
  return busy;
}

/** Attempts at the installments a loan's other work held up (BUSY), after the first. */
export const BUSY_RETRIES_MAX = 5;
/** The wait before the first retry, growing by as much each time: the bank answers a sale in milliseconds. */
const BUSY_RETRY_WAIT_MS = 100;

/**
 * A due installment is not left uncollected because a holding of its loan was being sold (or an earlier
 * collection was unanswered): those loans' sales are settled now, with no grace, and their installments
 * collected again, a bounded number of times; what is still BUSY is reported (the next run collects it).
 */
async function collectBusy(run: RunDay, busy: readonly Installment[]): Promise<void> {
  let waiting = [...busy];
  for (let attempt = 1; attempt <= BUSY_RETRIES_MAX && waiting.length > 0; attempt += 1) {
    const loanIds = [...new Set(waiting.map((installment) => installment.loanId))];
    for (const chunk of chunksOf(loanIds, SQL_LIST_MAX))
      await settleTransfers(run.em, run.services, new Date(), { graceMs: 0, loanIds: chunk });
    await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_WAIT_MS * attempt));
    waiting = await collectInRounds(run, waiting);
  }
  run.report.collectionsBusy += waiting.length;
}

/** Listings on the market their TRANSFER_LISTING_DAYS by `day` expire, a page at a time. */
async function expireListings(em: EntityManager, listingDays: number, day: string, now: Date): Promise<void> {
  const cutoff = listingCutoffDate(day, listingDays);
  for (let page = 0; page < RUN_PAGES_MAX; page += 1) {
    const due = await em
      .fork()
      .find(
        Transfer,
        { status: 'LISTED', listedBusinessDate: { $lte: cutoff } },
        { orderBy: { listedBusinessDate: 'asc' }, limit: SQL_LIST_MAX },
      );
    if (due.length > 0)
      await retryingLockConflicts(() => em.fork().transactional((tx) => endListings(tx, due, 'LISTING_DAYS', now)));
    if (due.length < SQL_LIST_MAX) return;
  }
}

/** The installments in rounds: round k holds each loan's k-th oldest, so no round has a loan twice. */
function roundsByLoan(installments: readonly Installment[]): Installment[][] {
  const rounds: Installment[][] = [];
  const seenByLoan = new Map<string, number>();
  for (const installment of [...installments].sort((left, right) => left.period - right.period)) {
    const round = seenByLoan.get(installment.loanId) ?? 0;
    seenByLoan.set(installment.loanId, round + 1);
    (rounds[round] ??= []).push(installment);
  }
  return rounds;
}

function countOutcome(report: JobReport, outcome: CollectOutcome): void {
  if (outcome.kind === 'REPAID') {
    report.installmentsRepaid += outcome.installmentsRepaid;
    if (outcome.loanSettled) report.loansSettled += 1;
  }
  if (outcome.kind === 'REFUSED') report.collectionsRefused += 1;
  if (outcome.kind === 'UNKNOWN') report.collectionsUnanswered += 1;
}

/** A page of a day's collections may take a while at the bank: the run says it is alive before each. */
async function renewLease(em: EntityManager, runId: string, day: string): Promise<void> {
  const renewed = await em
    .fork()
    .nativeUpdate(BusinessClock, { id: BUSINESS_CLOCK_ID, runId }, { runRenewedAt: new Date() });
  assert(renewed === 1, `run ${runId} lost the business clock during ${day}`);
}

/** The days are done: the clock moves to the last and every subgraph hears of each, in one transaction. */
async function advanceClock(em: EntityManager, runId: string, days: string[], now: Date): Promise<void> {
  assert(
    days.length >= 1 && days.length <= QUIET_DAYS_MAX,
    `advance by 1 to ${QUIET_DAYS_MAX} days, got ${days.length}`,
  );
  const lastDay = days[days.length - 1];
  await em.fork().transactional(async (tx) => {
    const moved = await tx.nativeUpdate(
      BusinessClock,
      { id: BUSINESS_CLOCK_ID, runId },
      { businessDate: lastDay, runRenewedAt: new Date() },
    );
    assert(moved === 1, `run ${runId} lost the business clock before ${lastDay}`);
    for (const day of days) publishEvent(tx, BusinessDateAdvanced, BUSINESS_DATE_AGGREGATE, { date: day }, now);
  });
}
