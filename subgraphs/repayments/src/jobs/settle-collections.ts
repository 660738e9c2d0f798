import { BANK_BATCH_MAX, chunksOf, mapBounded, type EntityManager } from '@wanxin/platform';
import { Collection } from '../entities/collection.entity';
import { settleProject } from '../operations/bank-instructions';
import { sendCollections } from '../operations/collect';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { confirmCollections } from '../operations/confirm-collection';
import type { RepaymentsServices } from '../services';

/** Collections handled per pass and step; a full batch makes the loop go again at once. */
export const SETTLE_BATCH_MAX = 4 * BANK_BATCH_MAX;
/** A SENT collection younger than this is left to the run or request that sent it. */
export const SETTLE_GRACE_MS = 15_000;

export interface SettleReport {
  /** Unanswered freezes sent again and now answered (repaid or refused). */
  freezesAnswered: number;
  confirmed: number;
  /** Confirmations the bank refused: a broken invariant, logged; they stay FROZEN for an operator. */
  confirmRefused: number;
  /** Settled loans whose bank project the bank now holds SETTLED too. */
  projectsSettled: number;
  batchFull: boolean;
}

/**
 * The settle pass: every FROZEN collection gets its CONFIRM_REPAYMENT sent, again until the bank answers; every SENT
 * freeze older than the grace period is sent again with its own requestNo (the bank answers its stored
 * result, moving nothing twice) and settled from the answer. Both go to the bank in batches.
 */
export async function settleCollections(
  em: EntityManager,
  services: RepaymentsServices,
  now: Date,
  graceMs = SETTLE_GRACE_MS,
): Promise<SettleReport> {
  const { bank, settings, logger } = services;
  const toConfirm = await em
    .fork()
    .find(
      Collection,
      { status: 'FROZEN', confirmRequestNo: { $ne: null } },
      { orderBy: { createdAt: 'asc' }, limit: SETTLE_BATCH_MAX },
    );
  const confirmations = (
    await mapBounded(chunksOf(toConfirm, settings.bankBatchSize), settings.bankConcurrency, async (chunk) => {
      const outcomes = await confirmCollections(em.fork(), bank, chunk, now);
      outcomes.forEach((outcome, index) => {
        if (outcome.kind === 'REFUSED')
          logger.error(
            { requestNo: chunk[index].requestNo, code: outcome.code, message: outcome.message },
            'the bank refused a repayment confirmation',
          );
      });
      return outcomes.map((outcome) => outcome.kind);
    })
  ).flat();
  const unanswered = await em
    .fork()
    .find(
      Collection,
      { status: 'SENT', createdAt: { $lte: new Date(now.getTime() - graceMs) } },
      { orderBy: { createdAt: 'asc' }, limit: SETTLE_BATCH_MAX },
    );
  const freezes = (
    await mapBounded(chunksOf(unanswered, settings.bankBatchSize), settings.bankConcurrency, async (chunk) =>
      (await sendCollections(em.fork(), bank, chunk, now)).map((outcome) => outcome.kind),
    )
  ).flat();
  const projectsSettled = await settleProjects(em, services);
  const confirmedCount = confirmations.filter((kind) => kind === 'CONFIRMED').length;
  return {
    freezesAnswered: freezes.filter((kind) => kind === 'REPAID' || kind === 'REFUSED').length,
    confirmed: confirmedCount,
    confirmRefused: confirmations.filter((kind) => kind === 'REFUSED').length,
    projectsSettled,
    // Refused confirmations stay FROZEN and would fill every batch: only answered work counts as progress.
    batchFull: confirmedCount === SETTLE_BATCH_MAX,
  };
}

/**
 * Every settled loan's project is told SETTLED at the bank (MODIFY_PROJECT, its requestNo stored when the
 * loan settled), again until the bank answers; a refusal is logged for an operator.
 */
async function settleProjects(em: EntityManager, services: RepaymentsServices): Promise<number> {
  const { bank, logger } = services;
  const loans = await em
    .fork()
    .find(
      RepaymentLoan,
      { status: 'SETTLED', projectSettleRequestNo: { $ne: null }, bankProjectSettledAt: null },
      { limit: services.settings.bankBatchSize },
    );
  if (loans.length === 0) return 0;
  const answers = await bank.instructBatch(loans.map((loan) => settleProject(loan)));
  const done = loans.filter((_, index) => answers[index].kind === 'DONE').map((loan) => loan.id);
  answers.forEach((answer, index) => {
    if (answer.kind === 'REFUSED')
      logger.error({ loanId: loans[index].id, code: answer.code }, 'the bank refused to settle a project');
  });
  if (done.length > 0)
    await em.fork().nativeUpdate(RepaymentLoan, { id: { $in: done } }, { bankProjectSettledAt: new Date() });
  return done.length;
}
