import type { Viewer } from '@wanxin/platform';

/** Why a viewer may not read a paid-out loan's repayment record, or null when they may. */
export type RecordRefusal = 'UNAUTHENTICATED' | 'FORBIDDEN' | null;

/**
 * A paid-out loan's schedule (due dates, overdue days, penalties) is its borrower's repayment record:
 * its borrower, its investors (`viewerInvested`: the viewer holds a paid-out bid of it) and admins read it;
 * anyone else is refused, an anonymous reader as not signed in. What the loan offered before the payout
 * (amount, rate, term, funding) stays public in the loans and bids subgraphs.
 */
export function repaymentRecordRefusal(
  viewer: Viewer | null,
  borrowerId: string,
  viewerInvested: boolean,
): RecordRefusal {
  if (viewer === null) return 'UNAUTHENTICATED';
  if (viewer.role === 'ADMIN' || viewer.id === borrowerId || viewerInvested) return null;
  return 'FORBIDDEN';
}
