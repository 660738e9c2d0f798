import { assert, BANK_BATCH_MAX, chunksOf, mapBounded, type EntityManager } from '@wanxin/platform';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { Transfer } from '../entities/transfer.entity';
import { creditAssignment } from '../operations/bank-instructions';
import { recordSaleAnswer, saleOf } from '../operations/buy-transfer';
import type { RepaymentsServices } from '../services';
import { SETTLE_GRACE_MS } from './settle-collections';

/** Sales handled per pass; a full batch makes the loop go again at once. */
export const SETTLE_TRANSFERS_MAX = 4 * BANK_BATCH_MAX;

export interface TransferSettleReport {
  /** Sales the bank has now answered: SOLD, or back on the market. */
  salesAnswered: number;
  batchFull: boolean;
}

/**
 * The sibling of settle-collections.ts for the claim-transfer market: every sale still SELLING after the
 * grace period (its buyer's request died between the bank and the commit, or the bank did not answer) is
 * sent again with its own requestNo — the bank answers what it did the first time and moves no money twice —
 * and settled from that answer, once. `loanIds` narrows it to some loans (the daily run, with no grace: a
 * due installment waits on them).
 */
export async function settleTransfers(
  em: EntityManager,
  services: RepaymentsServices,
  now: Date,
  options: { graceMs?: number; loanIds?: readonly string[] } = {},
): Promise<TransferSettleReport> {
  const { bank, settings } = services;
  const graceMs = options.graceMs ?? SETTLE_GRACE_MS;
  assert(graceMs >= 0, `the grace period is not negative, got ${graceMs}`);
  const selling = await em.fork().find(
    Transfer,
    {
      status: 'SELLING',
      reservedAt: { $lte: new Date(now.getTime() - graceMs) },
      ...(options.loanIds === undefined ? {} : { loanId: { $in: [...options.loanIds] } }),
    },
    { orderBy: { reservedAt: 'asc' }, limit: SETTLE_TRANSFERS_MAX },
  );
  if (selling.length === 0) return { salesAnswered: 0, batchFull: false };
  const loans = new Map(
    (await em.fork().find(RepaymentLoan, { id: { $in: [...new Set(selling.map(({ loanId }) => loanId))] } })).map(
      (loan) => [loan.id, loan],
    ),
  );
  const answered = await mapBounded(
    chunksOf(selling, settings.bankBatchSize),
    settings.bankConcurrency,
    async (chunk) => {
      const sales = chunk.map(saleOf);
      const answers = await bank.instructBatch(
        chunk.map((transfer, index) => creditAssignment(sales[index], loans.get(transfer.loanId)!)),
      );
      let answeredCount = 0;
      // One after another: each answer is its own short transaction.
      for (const [index, sale] of sales.entries())
        if ((await recordSaleAnswer(em, sale, answers[index], now)).kind !== 'UNKNOWN') answeredCount += 1;
      return answeredCount;
    },
  );
  const salesAnswered = answered.reduce((sum, count) => sum + count, 0);
  return { salesAnswered, batchFull: salesAnswered === SETTLE_TRANSFERS_MAX };
}
