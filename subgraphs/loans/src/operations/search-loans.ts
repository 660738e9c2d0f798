import { raw, type FilterQuery } from '@mikro-orm/core';
import { findPageInOrder, type Connection, type EntityManager, type PageArgs } from '@wanxin/platform';
import {
  containsPattern,
  LIKE_ESCAPE,
  orderColumnOf,
  searchScopeOf,
  type LoanFilter,
  type LoanListOrder,
} from '../domain/loan-search';
import { LOAN_STATUSES, type LoanStatus } from '../domain/loan-status';
import { Loan } from '../entities/loan.entity';

/** What the `loans` list was asked for, validated: the statuses the viewer may list, the filter, the order. */
export interface LoanSearch {
  statuses: readonly LoanStatus[];
  requestedStatus: LoanStatus | null;
  filter: LoanFilter;
  order: LoanListOrder;
}

/** `{ column: { $gte: min, $lte: max } }` for the bounds given, nothing for none. */
function rangeCondition<TValue>(
  column: keyof Loan & string,
  min: TValue | null,
  max: TValue | null,
): FilterQuery<Loan> {
  if (min === null && max === null) return {};
  return { [column]: { ...(min === null ? {} : { $gte: min }), ...(max === null ? {} : { $lte: max }) } };
}

/**
 * The SQL condition of a search. A function, since the text's raw fragment serves one statement only. The
 * text is matched with LIKE under the tables' case-insensitive collation (MariaDB) or LIKE's own ASCII case
 * folding (SQLite), its wildcards escaped.
 */
function conditionOf({ statuses, filter }: LoanSearch): () => FilterQuery<Loan> {
  const pattern = filter.text === null ? null : containsPattern(filter.text);
  return () => {
    const parts: FilterQuery<Loan>[] = [
      // Every status: no condition, so that an admin's unfiltered list reads the primary key alone.
      statuses.length === LOAN_STATUSES.length ? {} : { status: { $in: [...statuses] } },
      rangeCondition('amountFen', filter.amountMinFen, filter.amountMaxFen),
      rangeCondition('annualRateMicros', filter.rateMinMicros, filter.rateMaxMicros),
      rangeCondition('termMonths', filter.termMinMonths, filter.termMaxMonths),
      filter.methods === null ? {} : { repaymentMethod: { $in: filter.methods } },
    ];
    if (pattern !== null) {
      const like = `(title like ? escape '${LIKE_ESCAPE}' or loan_no like ? escape '${LIKE_ESCAPE}')`;
      parts.push({ [raw(like, [pattern, pattern])]: [] } as FilterQuery<Loan>);
    }
    const conditions = parts.filter((part) => Object.keys(part).length > 0);
    return conditions.length === 0 ? {} : { $and: conditions };
  };
}

/** One page of the `loans` list: a keyset page in the order asked for, its cursors bound to this search. */
export function searchLoans(em: EntityManager, search: LoanSearch, page: PageArgs): Promise<Connection<Loan>> {
  const { order } = search;
  return findPageInOrder(em, Loan, conditionOf(search), page, {
    field: orderColumnOf(order.field),
    direction: order.direction === 'ASC' ? 'asc' : 'desc',
    scope: searchScopeOf(search.requestedStatus, search.filter, order),
  });
}
