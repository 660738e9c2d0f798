import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  DateTimeScalar,
  isId,
  isOwnerOrAdmin,
  PageArgs,
  requireRole,
  type Connection,
  type SubgraphContext,
} from '@wanxin/platform';
import { LoanErrors } from '../domain/errors';
import type { LoanStatus } from '../domain/loan-status';
import { canSeeLoan, listableLoanStatuses } from '../domain/loan-visibility';
import { DEFAULT_LOAN_ORDER, LoanSearchProblem, parseLoanFilter } from '../domain/loan-search';
import { Loan } from '../entities/loan.entity';
import { expireFundingWindows } from '../jobs/expire-funding-windows';
import { insertLoan, validateNewLoan } from '../operations/create-loan';
import { cancelLoan } from '../operations/cancel-loan';
import { FUNDING_WINDOW_EXPIRED, LISTING_CANCELLED } from '../operations/fail-loan';
import { disburseLoan, refusePayout } from '../operations/review-full-loan';
import { approveLoan, rejectLoan } from '../operations/review-loan';
import { searchLoans } from '../operations/search-loans';
import type { LoansServices } from '../services';
import { CreateLoanInput } from './create-loan.input';
import { ReviewArgs } from './review.args';
import { UserReference } from './external/user';
import { LoanConnection } from './loan-connection.type';
import { LoanFilterInput } from './loan-filter.input';
import { LoanOrderInput } from './loan-order.input';
import { LoanStatusEnum } from './loan-status.enum';
import { LoanNode } from './loan.type';

type Context = SubgraphContext<LoansServices>;

const TITLE_LENGTH_MAX = 100;
const DESCRIPTION_LENGTH_MAX = 5000;
const REASON_LENGTH_MAX = 500;

function parseLoanId(id: string): string {
  if (!isId(id)) throw LoanErrors.invalidId(id);
  return id;
}

/** The reasons of a FAILED loan that anyone may read: they say nothing private of the borrower. */
const PUBLIC_FAIL_REASONS = [FUNDING_WINDOW_EXPIRED, LISTING_CANCELLED];

/** A refusal or a cancellation needs a reason, 1–500 characters; an approval ignores it. */
function parseReason(reason: string | null | undefined): string {
  const trimmed = (reason ?? '').trim();
  if (trimmed.length === 0 || trimmed.length > REASON_LENGTH_MAX)
    throw LoanErrors.badInput(
      'reason',
      `a refusal or a cancellation needs a reason of 1 to ${REASON_LENGTH_MAX} characters`,
    );
  return trimmed;
}

function parseNewLoan(input: CreateLoanInput, context: Context) {
  const title = input.title.trim();
  if (title.length === 0 || title.length > TITLE_LENGTH_MAX)
    throw LoanErrors.badInput('title', `must be 1 to ${TITLE_LENGTH_MAX} characters`);
  const description = input.description?.trim() || null;
  if (description !== null && description.length > DESCRIPTION_LENGTH_MAX)
    throw LoanErrors.badInput('description', `at most ${DESCRIPTION_LENGTH_MAX} characters`);
  const loan = {
    title,
    description,
    amountFen: input.amount,
    termMonths: input.termMonths,
    repaymentMethod: input.repaymentMethod,
    annualRateMicros: input.annualRate ?? undefined,
  };
  validateNewLoan(loan, context.services.settings);
  return loan;
}

@Resolver(() => LoanNode)
export class LoanResolver {
  @Query(() => LoanNode, {
    nullable: true,
    description: 'A loan. Under review or rejected: only its borrower and admins.',
  })
  async loan(
    @Arg('id', () => ID, { description: "The loan's id." }) id: string,
    @Ctx() context: Context,
  ): Promise<Loan> {
    if (!isId(id)) throw LoanErrors.invalidId(id);
    const loan = await context.loaders.byId(Loan).load(id);
    if (loan === null || !canSeeLoan(context.viewer, loan)) throw LoanErrors.notFound(id);
    return loan;
  }

  // The SDL prints the parameters last to first: `status`, `filter`, `orderBy`, `first`, `after`, as the contract.
  @Query(() => LoanConnection, {
    description:
      'Loans, newest first unless `orderBy` says otherwise. Admins list every status; everyone else the public ' +
      'ones (FUNDRAISING onwards, and FAILED). A cursor is valid for the status, filter and order it came with.',
  })
  loans(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('orderBy', () => LoanOrderInput, { nullable: true, description: 'The order; default newest first.' })
    orderBy: LoanOrderInput | null | undefined,
    @Arg('filter', () => LoanFilterInput, { nullable: true, description: 'Only loans matching all of these.' })
    filter: LoanFilterInput | null | undefined,
    @Arg('status', () => LoanStatusEnum, {
      nullable: true,
      description: 'Only loans in this status; default every status the viewer may list.',
    })
    status: LoanStatus | null | undefined,
    @Ctx() context: Context,
  ): Promise<Connection<Loan>> {
    const parsed = parseLoanFilter(filter?.toRequest());
    if (parsed instanceof LoanSearchProblem) throw LoanErrors.badInput(parsed.field, parsed.reason);
    const search = {
      statuses: listableLoanStatuses(context.viewer, status ?? undefined),
      requestedStatus: status ?? null,
      filter: parsed,
      order: orderBy ?? DEFAULT_LOAN_ORDER,
    };
    return searchLoans(context.em, search, page);
  }

  @Mutation(() => LoanNode, {
    description:
      'BORROWER with an opened depository account, a credit line with the amount available and no loan under ' +
      "review: publishes a loan, PENDING_REVIEW, using the amount of the line; annualRate defaults to the line's.",
  })
  async createLoan(
    @Arg('input', () => CreateLoanInput, { description: 'The terms of the loan.' }) input: CreateLoanInput,
    @Ctx() context: Context,
  ): Promise<Loan> {
    const borrower = requireRole(context, ['BORROWER']);
    const loan = parseNewLoan(input, context);
    return insertLoan(context.em, borrower.id, loan, context.services.settings);
  }

  @Mutation(() => LoanNode, {
    description: 'ADMIN: PENDING_REVIEW → FUNDRAISING (registered at the bank) or REJECTED (reason required).',
  })
  async reviewLoan(
    @Args(() => ReviewArgs) { id, approve, reason }: ReviewArgs,
    @Ctx() context: Context,
  ): Promise<Loan> {
    requireRole(context, ['ADMIN']);
    const loanId = parseLoanId(id);
    return approve
      ? approveLoan(context.em, context.services.bank, loanId)
      : rejectLoan(context.em, loanId, parseReason(reason));
  }

  @Mutation(() => LoanNode, {
    description:
      'ADMIN: FULLY_FUNDED → REPAYING (paid out at the bank) or FAILED (reason required; every freeze is released).',
  })
  async reviewFullLoan(
    @Args(() => ReviewArgs) { id, approve, reason }: ReviewArgs,
    @Ctx() context: Context,
  ): Promise<Loan> {
    requireRole(context, ['ADMIN']);
    const loanId = parseLoanId(id);
    const { bank, settings } = context.services;
    return approve
      ? disburseLoan(context.em, bank, loanId, settings.serviceFeeRateMicros)
      : refusePayout(context.em, bank, loanId, parseReason(reason));
  }

  @Mutation(() => LoanNode, {
    description:
      'Its BORROWER while PENDING_REVIEW → CANCELLED; an ADMIN also while FUNDRAISING → FAILED (failReason CANCELLED), ' +
      'every bid refunded. The credit line gets the amount back. Any other status is CONFLICT.',
  })
  async cancelLoan(
    @Arg('id', () => ID, { description: "The loan's id." }) id: string,
    @Arg('reason', () => String, { description: 'Why: 1 to 500 characters, kept with the loan.' }) reason: string,
    @Ctx() context: Context,
  ): Promise<Loan> {
    const canceller = requireRole(context, ['BORROWER', 'ADMIN']);
    return cancelLoan(context.em, context.services.bank, parseLoanId(id), canceller, parseReason(reason));
  }

  @Mutation(() => Int, {
    description:
      'ADMIN: runs the funding-window job as of `asOf` (default now): every loan FUNDRAISING for LOAN_FUNDING_DAYS or more FAILS. Returns how many.',
  })
  async expireLoans(
    @Arg('asOf', () => DateTimeScalar, {
      nullable: true,
      description: 'The moment the funding windows are judged at; default now.',
    })
    asOf: Date | null | undefined,
    @Ctx() context: Context,
  ): Promise<number> {
    requireRole(context, ['ADMIN']);
    const report = await expireFundingWindows(context.services, context.em, asOf ?? new Date());
    return report.expired;
  }

  @FieldResolver(() => UserReference, {
    description: "Who borrows; User's own rules say which of their fields the viewer sees in full.",
  })
  borrower(@Root() loan: Loan): UserReference {
    return { id: loan.borrowerId };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Why the review rejected it: its borrower and admins only.',
  })
  rejectReason(@Root() loan: Loan, @Ctx() context: Context): string | null {
    return isOwnerOrAdmin(context.viewer, loan.borrowerId) ? loan.rejectReason : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Why cancelLoan withdrew it or cancelled its listing, as written: its borrower and admins only.',
  })
  cancelReason(@Root() loan: Loan, @Ctx() context: Context): string | null {
    return isOwnerOrAdmin(context.viewer, loan.borrowerId) ? loan.cancelReason : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Why it FAILED: FUNDING_WINDOW_EXPIRED or CANCELLED (by an admin) for everyone; the full review's own reason for its borrower and admins only.",
  })
  failReason(@Root() loan: Loan, @Ctx() context: Context): string | null {
    if (loan.failReason === null || PUBLIC_FAIL_REASONS.includes(loan.failReason)) return loan.failReason;
    return isOwnerOrAdmin(context.viewer, loan.borrowerId) ? loan.failReason : 'REFUSED_AT_FULL_REVIEW';
  }
}
