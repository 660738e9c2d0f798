import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  assert,
  findPage,
  PageArgs,
  requireOwnerOrAdmin,
  requireRole,
  type Connection,
  type RetryPolicy,
  type SubgraphContext,
} from '@wanxin/platform';
import { isRiskAnswerOverdue, type CreditApplicationStatus } from '../domain/credit-application';
import { CreditApplication, RiskReport } from '../entities/credit-application.entity';
import { User } from '../entities/user.entity';
import { applyForCredit } from '../operations/apply-for-credit';
import { reviewCreditApplication } from '../operations/review-credit-application';
import type { UsersServices } from '../services';
import {
  CreditApplicationConnection,
  CreditApplicationNode,
  CreditApplicationStatusEnum,
  RiskReportNode,
} from './credit.type';
import { UserNode } from './user.type';

type Context = SubgraphContext<UsersServices>;

/** Answers shown per application: the provider answers an application once, re-asks included. */
const RISK_REPORTS_SHOWN_MAX = 20;

function applicationNode(application: CreditApplication, reask: RetryPolicy): CreditApplicationNode {
  const { id, userId, status, reviewReason, reviewedAt, asksSent, score, limitFen, createdAt, settledAt } = application;
  const asking = { status, asksSent, lastAskedAt: application.lastAskedAt ?? createdAt };
  return {
    id,
    userId,
    status,
    reviewReason,
    reviewedAt,
    asksSent,
    answerOverdue: isRiskAnswerOverdue(asking, reask),
    score,
    limit: limitFen,
    createdAt,
    settledAt,
  };
}

function applicationConnection(
  page: Connection<CreditApplication>,
  reask: RetryPolicy,
): Connection<CreditApplicationNode> {
  return {
    ...page,
    edges: page.edges.map(({ cursor, node }) => ({ cursor, node: applicationNode(node, reask) })),
  };
}

/** Credit applications: the borrower applies, admins review and list them; what users adds to `User`. */
@Resolver(() => UserNode)
export class CreditResolver {
  @Mutation(() => CreditApplicationNode, {
    description:
      'BORROWER with a VERIFIED identity and a complete profile: applies for a credit line; one open at a time.',
  })
  async applyForCredit(@Ctx() context: Context): Promise<CreditApplicationNode> {
    const viewer = requireRole(context, ['BORROWER', 'INVESTOR']);
    return applicationNode(await applyForCredit(context.em, viewer.id), context.services.riskReask);
  }

  @Mutation(() => CreditApplicationNode, {
    description:
      'ADMIN: reviews a SUBMITTED application; approve sends it to the risk provider, refusing needs a reason.',
  })
  async reviewCreditApplication(
    @Arg('id', () => ID, { description: "The application's id." }) id: string,
    @Arg('approve', () => Boolean, { description: 'true: on to the risk provider; false: refused.' }) approve: boolean,
    @Arg('reason', () => String, { nullable: true, description: 'Why (required to refuse), up to 500 characters.' })
    reason: string | null,
    @Ctx() context: Context,
  ): Promise<CreditApplicationNode> {
    const admin = requireRole(context, ['ADMIN']);
    const application = await reviewCreditApplication(context.em, admin.id, id, approve, reason);
    if (application.status === 'RISK_PENDING') context.services.riskAsker.wake();
    return applicationNode(application, context.services.riskReask);
  }

  @Query(() => CreditApplicationConnection, {
    description: 'ADMIN: credit applications, newest first, of one status or all.',
  })
  async creditApplications(
    @Arg('status', () => CreditApplicationStatusEnum, { nullable: true, description: 'Only this status.' })
    status: CreditApplicationStatus | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<Connection<CreditApplicationNode>> {
    requireRole(context, ['ADMIN']);
    const where = status === null || status === undefined ? {} : { status };
    return applicationConnection(
      await findPage(context.em, CreditApplication, where, page),
      context.services.riskReask,
    );
  }

  // Nullable: anyone else gets null and an error at this field, and the rest of the answer stays.
  @FieldResolver(() => CreditApplicationConnection, {
    name: 'creditApplications',
    nullable: true,
    description: "The user's credit applications, newest first: the user or an admin; null (with an error) for others.",
  })
  async userCreditApplications(
    @Root() user: User,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<Connection<CreditApplicationNode>> {
    requireOwnerOrAdmin(context, user.id, "a user's credit applications");
    const applications = await findPage(context.em, CreditApplication, { userId: user.id }, page);
    return applicationConnection(applications, context.services.riskReask);
  }
}

/** What an application links to: its applicant and the risk provider's answers. */
@Resolver(() => CreditApplicationNode)
export class CreditApplicationResolver {
  @FieldResolver(() => UserNode, { description: 'The applicant (profile and identity as User shows them to you).' })
  async user(@Root() application: CreditApplicationNode, @Ctx() context: Context): Promise<User> {
    const user = await context.loaders.byId(User).load(application.userId);
    assert(user !== null, 'an application belongs to a user, and users are never deleted');
    return user;
  }

  @FieldResolver(() => [RiskReportNode], {
    nullable: true,
    description: 'ADMIN: every answer the risk provider sent for it, oldest first; null for anyone else.',
  })
  async riskReports(
    @Root() application: CreditApplicationNode,
    @Ctx() context: Context,
  ): Promise<RiskReportNode[] | null> {
    if (context.viewer?.role !== 'ADMIN') return null;
    const reports = await context.em.find(
      RiskReport,
      { applicationId: application.id },
      { orderBy: { receivedAt: 'asc' }, limit: RISK_REPORTS_SHOWN_MAX },
    );
    return reports.map(({ answerId, score, decision, limitFen, assessedAt, outcome, rawAnswer, receivedAt }) => ({
      answerId,
      score,
      decision,
      limit: limitFen,
      assessedAt,
      outcome,
      rawAnswer,
      receivedAt,
    }));
  }
}
