import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { findPage, PageArgs, requireOwnerOrAdmin, type Connection, type SubgraphContext } from '@wanxin/platform';
import { creditAvailableFen, lineRateMicros } from '../domain/credit-line';
import { CreditLine } from '../entities/credit-line.entity';
import { Loan } from '../entities/loan.entity';
import type { LoansServices } from '../services';
import { CreditLineNode } from './credit-line.type';
import { UserReference } from './external/user';
import { LoanConnection } from './loan-connection.type';

/** What the loans subgraph adds to `User`. */
@Resolver(() => UserReference)
export class UserLoansResolver {
  // Nullable: anyone else gets null and an error at this field, and the rest of the answer stays.
  @FieldResolver(() => LoanConnection, {
    nullable: true,
    description:
      "The user's loans as borrower, newest first: the user themself or an admin; null (with an error) for anyone else.",
  })
  loans(
    @Root() user: UserReference,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: SubgraphContext<LoansServices>,
  ): Promise<Connection<Loan>> {
    requireOwnerOrAdmin(context, user.id, "a user's loans");
    return findPage(context.em, Loan, { borrowerId: user.id }, page);
  }

  @FieldResolver(() => CreditLineNode, {
    nullable: true,
    description:
      "The user's credit line: null until a credit application is approved. The user themself or an admin; " +
      'null (with an error) for anyone else.',
  })
  async creditLine(
    @Root() user: UserReference,
    @Ctx() context: SubgraphContext<LoansServices>,
  ): Promise<CreditLineNode | null> {
    requireOwnerOrAdmin(context, user.id, "a user's credit line");
    const line = await context.loaders.byColumn(CreditLine, 'userId').load(user.id);
    if (line === null) return null;
    return {
      limit: line.limitFen,
      used: line.usedFen,
      available: creditAvailableFen(line),
      score: line.score,
      annualRate: lineRateMicros(line.annualRateMicros, context.services.settings.creditPricing),
      grantedAt: line.grantedAt,
    };
  }
}
