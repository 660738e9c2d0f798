import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { findPage, isId, PageArgs, type Connection, type SubgraphContext } from '@wanxin/platform';
import { LoanErrors } from '../domain/errors';
import type { LoanStatus } from '../domain/loan-status';
import { canSeeLoan, listableLoanStatuses } from '../domain/loan-visibility';
import { Loan } from '../entities/loan.entity';
import type { LoansServices } from '../services';
import { UserReference } from './external/user';
import { LoanConnection } from './loan-connection.type';
import { LoanStatusEnum } from './loan-status.enum';
import { LoanNode } from './loan.type';

type Context = SubgraphContext<LoansServices>;

@Resolver(() => LoanNode)
export class LoanResolver {
  @Query(() => LoanNode, { nullable: true, description: 'A loan. Under review or rejected: only its borrower and admins.' })
  async loan(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Loan> {
    if (!isId(id)) throw LoanErrors.invalidId(id);
    const loan = await context.loaders.byId(Loan).load(id);
    if (loan === null || !canSeeLoan(context.viewer, loan)) throw LoanErrors.notFound(id);
    return loan;
  }

  // The page comes first among the parameters so that the SDL prints `status` first, as the contract does.
  @Query(() => LoanConnection, {
    description: 'Loans newest first. Admins list every status; everyone else the public ones (FUNDRAISING onwards, and FAILED).',
  })
  loans(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('status', () => LoanStatusEnum, { nullable: true }) status: LoanStatus | null | undefined,
    @Ctx() context: Context,
  ): Promise<Connection<Loan>> {
    const statuses = listableLoanStatuses(context.viewer, status ?? undefined);
    return findPage(context.em, Loan, { status: { $in: [...statuses] } }, page);
  }

  @FieldResolver(() => UserReference)
  borrower(@Root() loan: Loan): UserReference {
    return { id: loan.borrowerId };
  }
}
