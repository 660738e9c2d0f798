import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { clientError, CommonErrors, unreachable } from '@wanxin/platform';
import type { GatewayContext } from '../context';
import type { SubscriptionField } from './event-feeds';

/** Runs a query through the gateway as the context's viewer (the same authorization as any query). */
export type GatewayQuery = (query: string, variables: Record<string, unknown>, context: GatewayContext) => Promise<{ data?: Record<string, any> | null; errors?: readonly GraphQLFormattedError[] }>;

const LOAN_VISIBLE = 'query SubscriptionLoanAccess($loanId: ID!) { loan(id: $loanId) { id } }';
const LOAN_PARTY = 'query SubscriptionRepaymentAccess($loanId: ID!) { loan(id: $loanId) { id viewerIsParty } }';

function asErrors(errors: readonly GraphQLFormattedError[]): GraphQLError[] {
  return errors.map((error) => new GraphQLError(error.message, { extensions: error.extensions }));
}

/**
 * Who may subscribe, decided by the subgraphs that own the data through ordinary queries as the viewer:
 * loanFunding whoever may read the loan; repaymentStatus its borrower, its funded investors and admins;
 * platformStats admins. Null means allowed.
 */
export async function subscriptionRefusal(field: SubscriptionField, loanId: string | undefined, context: GatewayContext, query: GatewayQuery): Promise<GraphQLError[] | null> {
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
      return answer.data.loan.viewerIsParty === true ? null : [CommonErrors.forbidden("a loan's repayments: only its borrower, its investors and admins")];
    }
    case 'platformStats':
      if (context.viewer === null) return [CommonErrors.unauthenticated()];
      return context.viewer.role === 'ADMIN' ? null : [clientError('FORBIDDEN', 'Forbidden: platformStats requires role ADMIN')];
    default:
      return unreachable(field, 'subscription field');
  }
}
