import type { EntityManager, InternalBankClient } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import { completeFundingIfFull, freezeBid, releaseFreeze } from '../operations/settle-bid';

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
 * The settle pass (instead of QUERY_REQUEST, which the agent does not forward): each PENDING bid's freeze
 * is sent again with the same requestNo (the bank answers its stored result, moving nothing twice); each
 * FROZEN bid of a failed loan gets its CANCEL_PRE_TRANSACTION sent again; every full funding with no bid
 * left PENDING publishes `bids.loan.fully-funded`.
 */
export async function settleBids(em: EntityManager, bank: InternalBankClient, now: Date, graceMs = SETTLE_GRACE_MS): Promise<SettleReport> {
  const report: SettleReport = { frozen: 0, failed: 0, released: 0, completed: 0 };
  const pending = await em.fork().find(Bid, { status: 'PENDING', createdAt: { $lte: new Date(now.getTime() - graceMs) } }, { orderBy: { id: 'asc' }, limit: SETTLE_BATCH_MAX });
  for (const bid of pending) {
    const funding = await em.fork().findOneOrFail(Funding, { loanId: bid.loanId });
    const outcome = await freezeBid(em.fork(), bank, bid, funding.loanNo, now);
    if (outcome.kind === 'FROZEN') report.frozen += 1;
    if (outcome.kind === 'REFUSED') report.failed += 1;
  }
  const releasing = await em.fork().find(Bid, { status: 'FROZEN', releaseRequestNo: { $ne: null } }, { orderBy: { id: 'asc' }, limit: SETTLE_BATCH_MAX });
  for (const bid of releasing) {
    if (await releaseFreeze(em.fork(), bank, bid)) report.released += 1;
  }
  const full = await em.fork().find(Funding, { status: 'FUNDRAISING' }, { limit: SETTLE_BATCH_MAX * 10 });
  for (const funding of full.filter((row) => row.raisedFen === row.amountFen).slice(0, SETTLE_BATCH_MAX)) {
    if (await completeFundingIfFull(em.fork(), funding.loanId, now)) report.completed += 1;
  }
  return report;
}
