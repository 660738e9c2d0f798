import {
  CommonErrors,
  connectionOf,
  pageSize,
  type Connection,
  type EntityManager,
  type PageArgs,
} from '@wanxin/platform';
import type { FilterQuery } from '@mikro-orm/core';
import { StatementEntry } from '../entities/statement-entry.entity';

/** The business days a statement covers, both ends included; null: unbounded on that side. */
export interface StatementRange {
  from: string | null;
  to: string | null;
}

/** A cursor is an entry's posting number. */
const CURSOR_PATTERN = /^[1-9][0-9]{0,17}$/;

function rangeWhere(userId: string, range: StatementRange): FilterQuery<StatementEntry> {
  if (range.from !== null && range.to !== null && range.from > range.to)
    throw CommonErrors.badInput('to', `${range.to} is before from ${range.from}`);
  const businessDate = {
    ...(range.from === null ? {} : { $gte: range.from }),
    ...(range.to === null ? {} : { $lte: range.to }),
  };
  return Object.keys(businessDate).length === 0 ? { userId } : { userId, businessDate };
}

/**
 * One page of a user's statement, newest first (by the bank's posting number, so an answer heard late
 * still stands where the bank applied it): a keyset page `bankSeq < after` and the list's counts.
 */
export async function statementPage(
  em: EntityManager,
  userId: string,
  range: StatementRange,
  page: PageArgs,
): Promise<Connection<StatementEntry>> {
  const first = pageSize(page);
  const after = page.after ?? null;
  if (after !== null && !CURSOR_PATTERN.test(after))
    throw CommonErrors.badInput('after', 'is not a cursor from this list');
  const where = rangeWhere(userId, range);
  const pageWhere = after === null ? where : { $and: [where, { bankSeq: { $lt: BigInt(after) } }] };
  const rows = await em.find(StatementEntry, pageWhere, { orderBy: { bankSeq: 'desc' }, limit: first + 1 });
  const totalCount = await em.count(StatementEntry, where);
  const precedingCount =
    after === null ? 0 : await em.count(StatementEntry, { $and: [where, { bankSeq: { $gte: BigInt(after) } }] });
  return connectionOf(rows, first, { totalCount, precedingCount }, (row) => row.bankSeq.toString());
}
