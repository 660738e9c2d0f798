import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  connectionOf,
  findStatusAndLoanPage,
  PageArgs,
  pageWindow,
  requireOwnerOrAdmin,
  statusAndLoanArgs,
} from '@wanxin/platform';
import type { Connection, StatusAndLoanArgs, SubgraphContext } from '@wanxin/platform';
import { RepaymentErrors } from '../domain/errors';
import type { ReceivableStatus } from '../domain/receivable-status';
import { Receivable } from '../entities/receivable.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { holdingsPage } from '../store';
import { BidConnection } from './bid-connection.type';
import type { BidReference } from './external/bid';
import type { RepaymentsServices } from '../services';
import { UserReference } from './external/user';
import { ReceivableConnection } from './receivable-connection.type';
import { ReceivableStatusEnum } from './receivable-status.enum';

const ReceivablesArgs = statusAndLoanArgs<ReceivableStatus>(ReceivableStatusEnum, 'receivables');

/** What the repayments subgraph adds to `User`: the investor's receivables and holdings. */
@Resolver(() => UserReference)
export class UserReceivablesResolver {
  // Nullable: anyone else gets null and an error at this field, and the rest of the answer stays.
  @FieldResolver(() => ReceivableConnection, {
    nullable: true,
    description:
      "The user's receivables as investor, newest first, by status and loan if asked: the user themself or an admin; " +
      'null (with an error) for anyone else.',
  })
  receivables(
    @Root() user: UserReference,
    @Args(() => ReceivablesArgs) args: StatusAndLoanArgs<ReceivableStatus>,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<Connection<Receivable>> {
    requireOwnerOrAdmin(context, user.id, "a user's receivables");
    // Repayments knows a loan once it is paid out; before, it has no receivables to filter by.
    return findStatusAndLoanPage(context.em, Receivable, { investorId: user.id }, args, {
      isKnown: async (loanId) => (await context.em.count(RepaymentLoan, { id: loanId })) > 0,
      unknown: RepaymentErrors.loanNotPaidOut,
    });
  }

  @FieldResolver(() => BidConnection, {
    nullable: true,
    description:
      'The LOANED bids of REPAYING loans the user holds now (their own, or bought on the claim-transfer market), newest ' +
      'bid first: the user themself or an admin; null (with an error) for anyone else.',
  })
  async holdings(
    @Root() user: UserReference,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<Connection<BidReference>> {
    requireOwnerOrAdmin(context, user.id, "a user's holdings");
    const { first, after } = pageWindow(args);
    const page = await holdingsPage(context.em, user.id, after, first + 1);
    return connectionOf(
      page.bidIds.map((id) => ({ id })),
      first,
      page,
    );
  }
}
