import {
  noteRawWrite,
  runSql,
  runSqlInChunks,
  selectRows,
  selectRowsInChunks,
  sqlInteger,
  sqlPlaceholders,
  type EntityManager,
} from '@wanxin/platform';
import type { FundingSnapshot } from './domain/bid-rules';
import type { BidStatus } from './domain/bid-status';
import { Bid } from './entities/bid.entity';
import { Funding } from './entities/funding.entity';

/**
 * The bids subgraph's hand-written statements (the style is raw-sql.ts's in the platform); everything
 * else goes through the ORM.
 */

/** Moves the bids still in `from` to `to`; the number moved. */
export function moveBidsStatus(
  tx: EntityManager,
  bids: readonly Pick<Bid, 'id' | 'loanId'>[],
  from: BidStatus,
  to: BidStatus,
): Promise<number> {
  noteRawWrite(tx, Bid, bids);
  return runSqlInChunks(tx, {
    values: bids.map((bid) => bid.id),
    sqlOf: (placeholders) => `update bids set status = ? where status = ? and id in (${placeholders})`,
    paramsOf: (chunk) => [to, from, ...chunk],
  });
}

/**
 * Sets a funding's reservation to `after`, only while the row still holds `before` and the new total stays
 * within its amount; the number of rows set (0 or 1).
 */
export function setFundingReservation(tx: EntityManager, before: Funding, after: FundingSnapshot): Promise<number> {
  noteRawWrite(tx, Funding, [before]);
  return runSql(
    tx,
    `update fundings set raised_fen = ${sqlInteger(after.raisedFen)}, bid_count = ? where loan_id = ? ` +
      `and status = ? and raised_fen = ${sqlInteger(before.raisedFen)} and bid_count = ? ` +
      `and amount_fen >= ${sqlInteger(after.raisedFen)}`,
    [after.bidCount, before.loanId, 'FUNDRAISING', before.bidCount],
  );
}

/** Takes one bid of `bidFen` off a funding's reservation, only if it holds that much; the rows changed. */
export function takeFundingReservation(tx: EntityManager, loanId: string, bidFen: bigint): Promise<number> {
  noteRawWrite(tx, Funding, [{ loanId }]);
  return runSql(
    tx,
    `update fundings set raised_fen = raised_fen - ${sqlInteger(bidFen)}, bid_count = bid_count - 1 ` +
      `where loan_id = ? and raised_fen >= ${sqlInteger(bidFen)} and bid_count >= 1`,
    [loanId],
  );
}

/** Bids that still count (frozen or lent). */
const COUNTED_STATUSES: readonly BidStatus[] = ['FROZEN', 'LOANED'];

/** The sum of the bids that still count created in [from, to) (either end open when absent), integer fen. */
export async function amountRaisedFen(em: EntityManager, span: { from?: Date; to?: Date }): Promise<bigint> {
  const conditions = [`status in (${sqlPlaceholders(COUNTED_STATUSES.length)})`];
  const params: unknown[] = [...COUNTED_STATUSES];
  if (span.from !== undefined) {
    conditions.push('created_at >= ?');
    params.push(span.from);
  }
  if (span.to !== undefined) {
    conditions.push('created_at < ?');
    params.push(span.to);
  }
  const [row] = await selectRows<{ total: string | number | null }>(
    em,
    `select sum(amount_fen) as total from bids where ${conditions.join(' and ')}`,
    params,
  );
  return BigInt(String(row?.total ?? 0));
}

/** An auto bid as the reservation and the engine read it. */
export interface AutoBidRow {
  loanId: string;
  autoRuleId: string;
  amountFen: bigint;
  status: BidStatus;
}

/** Every auto bid of `loanIds` (at most LOAN_BIDS_MAX a loan), in any status. */
export async function autoBidsOf(em: EntityManager, loanIds: readonly string[]): Promise<AutoBidRow[]> {
  const rows = await selectRowsInChunks<
    { loan_id: string; auto_rule_id: string; amount_fen: string | number; status: BidStatus },
    string
  >(em, {
    values: loanIds,
    sqlOf: (placeholders) =>
      `select loan_id, auto_rule_id, amount_fen, status from bids ` +
      `where auto_rule_id is not null and loan_id in (${placeholders})`,
    paramsOf: (chunk) => chunk,
  });
  return rows.map((row) => ({
    loanId: row.loan_id,
    autoRuleId: row.auto_rule_id,
    amountFen: BigInt(String(row.amount_fen)),
    status: row.status,
  }));
}

/** Moves the rules `ids` to the back of the fair queue: served at `at`. */
export function markRulesServed(tx: EntityManager, ids: readonly string[], at: Date): Promise<number> {
  return runSqlInChunks(tx, {
    values: ids,
    sqlOf: (placeholders) => `update auto_invest_rules set last_served_at = ? where id in (${placeholders})`,
    paramsOf: (chunk) => [at, ...chunk],
  });
}
