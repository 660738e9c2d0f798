import type { EntityManager, InternalBankClient } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import { completeFundingIfFull, freezeBids, releaseFreeze } from '../operations/settle-bid';

/** Rows handled per pass and step; the rest wait for the next pass. */
export const SETTLE_BATCH_MAX = 100;
/** A PENDING bid younger than this is left to the request that placed it. */
export const SETTLE_GRACE_MS = 15_000;

export interface SettleReport {
  frozen: number;
  failed: number;
  released: number;
  completed: number;
}

/**
 * The settle pass (instead of QUERY_REQUEST, which the agent does not forward): the PENDING bids' freezes
 * are sent again together, each with its own requestNo (the bank answers its stored result, moving
 * nothing twice); each
 * FROZEN bid of a failed loan gets its CANCEL_PRE_TRANSACTION sent again; every full funding with no bid
 * left PENDING publishes `bids.loan.fully-funded`.
 */
export async function settleBids(
  em: EntityManager,
  bank: InternalBankClient,
  now: Date,
  graceMs = SETTLE_GRACE_MS,
): Promise<SettleReport> {
  const report: SettleReport = { frozen: 0, failed: 0, released: 0, completed: 0 };
  const pending = await em
    .fork()
    .find(
      Bid,
      { status: 'PENDING', createdAt: { $lte: new Date(now.getTime() - graceMs) } },
      { orderBy: { id: 'asc' }, limit: SETTLE_BATCH_MAX },
    );
  if (pending.length > 0) {
    const loanNos = new Map(
      (await em.fork().find(Funding, { loanId: { $in: [...new Set(pending.map((bid) => bid.loanId))] } })).map(
        (funding) => [funding.loanId, funding.loanNo],
      ),
    );
    const outcomes = await freezeBids(
      em.fork(),
      bank,
      pending.map((bid) => ({ bid, loanNo: loanNos.get(bid.loanId)! })),
      now,
    );
    report.frozen += outcomes.filter((outcome) => outcome.kind === 'FROZEN').length;
    report.failed += outcomes.filter((outcome) => outcome.kind === 'REFUSED').length;
  }
  const releasing = await em
    .fork()
    .find(
      Bid,
      { status: 'FROZEN', releaseRequestNo: { $ne: null } },
      { orderBy: { id: 'asc' }, limit: SETTLE_BATCH_MAX },
    );
  for (const bid of releasing) {
    if (await releaseFreeze(em.fork(), bank, bid)) report.released += 1;
  }
  const full = await em.fork().find(Funding, { status: 'FUNDRAISING' }, { limit: SETTLE_BATCH_MAX * 10 });
  for (const funding of full.filter((row) => row.raisedFen === row.amountFen).slice(0, SETTLE_BATCH_MAX)) {
    if (await completeFundingIfFull(em.fork(), funding.loanId, now)) report.completed += 1;
  }
  return report;
}
