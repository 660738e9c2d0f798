import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { clientError, CommonErrors, unreachable } from '@wanxin/platform';
import type { GatewayContext } from '../context';
import type { SubscriptionField } from './event-feeds';

/** Runs a query through the gateway as the context's viewer (the same authorization as any query). */
export type GatewayQuery = (
  query: string,
  variables: Record<string, unknown>,
  context: GatewayContext,
) => Promise<{ data?: Record<string, any> | null; errors?: readonly GraphQLFormattedError[] }>;

const LOAN_VISIBLE = 'query SubscriptionLoanAccess($loanId: ID!) { loan(id: $loanId) { id } }';
const LOAN_PARTY =
  'query SubscriptionRepaymentAccess($loanId: ID!) { loan(id: $loanId) { id viewerIsParty viewerHasBid } }';

function asErrors(errors: readonly GraphQLFormattedError[]): GraphQLError[] {
  return errors.map((error) => new GraphQLError(error.message, { extensions: error.extensions }));
}

/**
 * Who may subscribe, decided by the subgraphs that own the data through ordinary queries as the viewer:
 * loanFunding whoever may read the loan; repaymentStatus its borrower, admins and its investors from their
 * first frozen bid;
 * platformStats admins; transferMarket investors and admins. Null means allowed.
 */
export async function subscriptionRefusal(
  field: SubscriptionField,
  loanId: string | undefined,
  context: GatewayContext,
  query: GatewayQuery,
): Promise<GraphQLError[] | null> {
  switch (field) {
    case 'loanFunding': {
      const answer = await query(LOAN_VISIBLE, { loanId }, context);
      if (answer.errors !== undefined && answer.errors.length > 0) return asErrors(answer.errors);
      return answer.data?.loan ? null : [CommonErrors.notFound('Loan', String(loanId))];
    }
    case 'repaymentStatus': {
      if (context.viewer === null) return [CommonErrors.unauthenticated()];
      const answer = await query(LOAN_PARTY, { loanId }, context);
      if (answer.errors !== undefined && answer.errors.length > 0) return asErrors(answer.errors);
      if (!answer.data?.loan) return [CommonErrors.notFound('Loan', String(loanId))];
      const { viewerIsParty, viewerHasBid } = answer.data.loan;
      return viewerIsParty === true || viewerHasBid === true
        ? null
        : [CommonErrors.forbidden("a loan's repayments: only its borrower, its investors and admins")];
    }
    case 'platformStats':
      if (context.viewer === null) return [CommonErrors.unauthenticated()];
      return context.viewer.role === 'ADMIN'
        ? null
        : [clientError('FORBIDDEN', 'Forbidden: platformStats requires role ADMIN')];
    case 'transferMarket':
      // The market's own readers (the transfers query's roles, repayments' transfer.resolver.ts).
      if (context.viewer === null) return [CommonErrors.unauthenticated()];
      return context.viewer.role === 'ADMIN' || context.viewer.role === 'INVESTOR'
        ? null
        : [clientError('FORBIDDEN', 'Forbidden: transferMarket requires role INVESTOR or ADMIN')];
    default:
      return unreachable(field, 'subscription field');
  }
}

/** How long an allowed subscription is remembered for the same viewer, field and loan. */
const ACCESS_GRANT_TTL_MS = 5_000;
/** Grants remembered at once; the oldest is forgotten first. */
const ACCESS_GRANTS_MAX = 10_000;

/**
 * `subscriptionRefusal` with its grants remembered for a few seconds: a crowd subscribing to one loan
 * at once costs one access query per viewer, not one per subscription. Refusals are never remembered.
 */
export class SubscriptionAccess {
  private readonly grants = new Map<string, { expiresAtMs: number; decision: Promise<GraphQLError[] | null> }>();

  constructor(private readonly query: GatewayQuery) {}

  refusal(
    field: SubscriptionField,
    loanId: string | undefined,
    context: GatewayContext,
    nowMs = Date.now(),
  ): Promise<GraphQLError[] | null> {
    const key = `${context.viewer?.id ?? ''}|${field}|${loanId ?? ''}`;
    const remembered = this.grants.get(key);
    if (remembered !== undefined && remembered.expiresAtMs > nowMs) return remembered.decision;
    const decision = subscriptionRefusal(field, loanId, context, this.query);
    this.grants.delete(key);
    this.grants.set(key, { expiresAtMs: nowMs + ACCESS_GRANT_TTL_MS, decision });
    if (this.grants.size > ACCESS_GRANTS_MAX) this.grants.delete(this.grants.keys().next().value as string);
    void decision.then(
      (refused) => refused !== null && this.grants.delete(key),
      () => this.grants.delete(key),
    );
    return decision;
  }
}
