import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { GraphQLError } from 'graphql';
import { ArgsType, Field, ID, type ClassType } from 'type-graphql';
import { CommonErrors } from './errors';
import { isId } from './ids';
import { findPage, PageArgs, type Connection } from './pagination';

/** A user's own list that a front end narrows by status and by loan (User.bids, User.receivables). */
export interface StatusAndLoanArgs<TStatus extends string> extends PageArgs {
  status?: TStatus | null;
  loanId?: string | null;
}

/** Declares the page arguments plus `status` (of `statusEnum`) and `loanId` for a list of `rows`. */
export function statusAndLoanArgs<TStatus extends string>(
  statusEnum: object,
  rows: string,
): ClassType<StatusAndLoanArgs<TStatus>> {
  @ArgsType()
  class StatusAndLoanPageArgs extends PageArgs {
    @Field(() => statusEnum, { nullable: true, description: `Only ${rows} in this status; all when absent.` })
    status?: TStatus | null;

    @Field(() => ID, {
      nullable: true,
      description:
        `Only ${rows} of this loan; all when absent. ` + 'A malformed id is BAD_USER_INPUT, an unknown loan NOT_FOUND.',
    })
    loanId?: string | null;
  }
  return StatusAndLoanPageArgs;
}

/** The conditions the arguments ask for, the loan id checked for form (BAD_USER_INPUT). */
function statusAndLoanWhere<TStatus extends string>(
  args: StatusAndLoanArgs<TStatus>,
): { status?: TStatus; loanId?: string } {
  const where: { status?: TStatus; loanId?: string } = {};
  if (args.status !== null && args.status !== undefined) where.status = args.status;
  if (args.loanId !== null && args.loanId !== undefined) {
    if (!isId(args.loanId)) throw CommonErrors.badInput('loanId', 'is not a loan id');
    where.loanId = args.loanId;
  }
  return where;
}

/** How a subgraph tells a loan it knows from one it has never heard of, and what it answers for the latter. */
export interface LoanLookup {
  isKnown(loanId: string): Promise<boolean>;
  unknown(loanId: string): GraphQLError;
}

/**
 * One page of `owner`'s rows (newest first, as findPage) narrowed as `args` asks. A loan id of the right form
 * that `loans` does not know is refused rather than answered with an empty page, which would hide a typo.
 */
export async function findStatusAndLoanPage<T extends { id: string }, TStatus extends string>(
  em: EntityManager,
  entity: EntityClass<T>,
  owner: FilterQuery<T>,
  args: StatusAndLoanArgs<TStatus>,
  loans: LoanLookup,
): Promise<Connection<T>> {
  const where = statusAndLoanWhere(args);
  if (where.loanId !== undefined && !(await loans.isKnown(where.loanId))) throw loans.unknown(where.loanId);
  return findPage(em, entity, { $and: [owner, where] } as FilterQuery<T>, args);
}
