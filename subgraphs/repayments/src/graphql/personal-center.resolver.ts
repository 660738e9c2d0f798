import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { assert, requireOwnerOrAdmin, type Role, type SubgraphContext } from '@wanxin/platform';
import { borrowingSummaryOf, portfolioOf, type Portfolio } from '../domain/personal-center';
import type { Installment } from '../entities/installment.entity';
import type { RepaymentsServices } from '../services';
import { borrowingSums, nextDueInstallment, receivableSums } from '../store';
import { BorrowingSummaryNode } from './borrowing-summary.type';
import { UserReference } from './external/user';
import { InstallmentNode } from './installment.type';
import { PortfolioNode } from './portfolio.type';

/**
 * `read()` for the user themself or an admin (anyone else is refused at the field: FORBIDDEN, UNAUTHENTICATED
 * when signed out), null when the user's role, as the gateway passed it (`@requires`), is not `expected.role`.
 */
async function forOwnerOfRole<T>(
  context: SubgraphContext<RepaymentsServices>,
  user: UserReference,
  expected: { role: Role; what: string },
  read: () => Promise<T>,
): Promise<T | null> {
  requireOwnerOrAdmin(context, user.id, expected.what);
  assert(user.role !== undefined, `the gateway passed user ${user.id} without the role these fields require`);
  return user.role === expected.role ? read() : null;
}

/** What the personal center (我的) adds to `User`: the investor's portfolio, the borrower's summary. */
@Resolver(() => UserReference)
export class UserPersonalCenterResolver {
  // Nullable: anyone else gets null and an error at this field, and the rest of the answer stays.
  @Directive('@requires(fields: "role")')
  @FieldResolver(() => PortfolioNode, {
    nullable: true,
    description:
      "An investor's portfolio, summed over their receivables: the user themself or an admin; null for a user " +
      'who is not an investor, and null with a FORBIDDEN error for anyone else.',
  })
  portfolio(
    @Root() user: UserReference,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<Portfolio | null> {
    return forOwnerOfRole(context, user, { role: 'INVESTOR', what: "a user's portfolio" }, async () =>
      portfolioOf(await receivableSums(context.em, user.id)),
    );
  }

  @Directive('@requires(fields: "role")')
  @FieldResolver(() => BorrowingSummaryNode, {
    nullable: true,
    description:
      "A borrower's summary, over the unpaid installments of their loans: the user themself or an admin; null " +
      'for a user who is not a borrower, and null with a FORBIDDEN error for anyone else.',
  })
  borrowing(
    @Root() user: UserReference,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<BorrowingSummaryNode | null> {
    return forOwnerOfRole(context, user, { role: 'BORROWER', what: "a user's borrowing summary" }, async () => ({
      borrowerId: user.id,
      ...borrowingSummaryOf(await borrowingSums(context.em, user.id)),
    }));
  }
}

@Resolver(() => BorrowingSummaryNode)
export class BorrowingSummaryResolver {
  @FieldResolver(() => InstallmentNode, {
    nullable: true,
    description:
      "The borrower's unpaid installment due first across their loans (an OVERDUE one before any PENDING, as " +
      'it fell due earlier; ties by period); null when nothing is owed.',
  })
  nextDue(
    @Root() summary: BorrowingSummaryNode,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<Installment | null> {
    return nextDueInstallment(context.em, summary.borrowerId);
  }
}
