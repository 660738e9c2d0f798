import { forkEntityManager, publishEvent } from '@wanxin/platform';
import { ReconciliationCompleted } from '@wanxin/platform/contracts';
import { currentBusinessDate } from '../agent/business-date';
import type { ReconciliationLine } from '../domain/reconciliation';
import { ReconciliationRun } from '../entities/reconciliation-run.entity';
import type { DepositoryServices } from '../services';
import { reconcileDay, summarizeReconciliation } from '../operations/reconcile-day';

/** Days reconciled per pass, oldest first; a longer backlog continues on the next pass. */
export const RECONCILIATION_DAYS_PER_PASS_MAX = 31;
const MILLISECONDS_PER_DAY = 86_400_000;

/**
 * Whether day `date` is over: the business date has moved past it (`businessDate`, the latest day
 * announced), or the wall clock has (the records of a calendar day are complete at its midnight).
 */
export function isDayOver(date: string, businessDate: string, now: Date): boolean {
  return date < businessDate || now.getTime() >= Date.parse(`${date}T00:00:00.000Z`) + MILLISECONDS_PER_DAY;
}

/** Worth an operator's look: every line but MATCHED and NOT_SUBMITTED (a bank page the user left). */
function isDiscrepancy(line: ReconciliationLine): boolean {
  return line.result !== 'MATCHED' && line.result !== 'NOT_SUBMITTED';
}

/** A line for the log (pino cannot write bigints). */
function logFields(date: string, { requestNo, serviceName, result, platform, bank }: ReconciliationLine) {
  return {
    date,
    requestNo,
    serviceName,
    result,
    platformStatus: platform?.status ?? null,
    platformAmountFen: platform?.amountFen?.toString() ?? null,
    bankStatus: bank?.status ?? null,
    bankAmountFen: bank?.amountFen?.toString() ?? null,
  };
}

/**
 * Reconciles every recorded business day still to run, oldest first, each once it is over (isDayOver: a
 * day the business date has passed does not wait for the wall clock): the bank's file is read outside any
 * transaction, every discrepancy is logged at warn, and the day's counts are stored with `completedAt` (and
 * `depository.reconciliation.completed`, which the admins' dashboard follows, in the same transaction). A
 * bank that does not answer throws: the day, and every later one, is tried again on the next pass. Returns
 * the days completed.
 */
export async function reconcileBusinessDays(services: DepositoryServices, now = new Date()): Promise<string[]> {
  const { orm, logger } = services;
  const runs = await forkEntityManager(orm).find(
    ReconciliationRun,
    { completedAt: null },
    { orderBy: { date: 'asc' }, limit: RECONCILIATION_DAYS_PER_PASS_MAX },
  );
  const businessDate = await currentBusinessDate(forkEntityManager(orm), now);
  const completed: string[] = [];
  for (const { date } of runs) {
    if (!isDayOver(date, businessDate, now)) break;
    const { lines } = await reconcileDay(services, date);
    for (const line of lines.filter(isDiscrepancy)) logger.warn(logFields(date, line), 'reconciliation discrepancy');
    const summary = summarizeReconciliation(lines);
    await forkEntityManager(orm).transactional(async (em) => {
      const completed = await em.nativeUpdate(
        ReconciliationRun,
        { date, completedAt: null },
        { ...summary, completedAt: new Date() },
      );
      // Another replica may have completed it first: its event already told the dashboard.
      if (completed === 1) publishEvent(em, ReconciliationCompleted, date, { date });
    });
    logger.info(
      {
        date,
        ...summary,
        platformAmountFen: summary.platformAmountFen.toString(),
        bankAmountFen: summary.bankAmountFen.toString(),
      },
      'business day reconciled',
    );
    completed.push(date);
  }
  return completed;
}
