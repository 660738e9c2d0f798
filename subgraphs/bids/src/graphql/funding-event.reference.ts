import { isId, type SubgraphContext } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';
import type { BidsServices } from '../services';
import { toFundingNode } from './funding';
import type { FundingEventNode } from './funding-event.type';

/** `FundingEvent` references from the gateway's subscriptions; a key that is not `<loanId>[:<bidId>]` resolves to null. */
export async function resolveFundingEventReference(
  reference: { id: string },
  context: SubgraphContext<BidsServices>,
): Promise<FundingEventNode | null> {
  const [loanId, bidId, ...rest] = reference.id.split(':');
  if (!isId(loanId) || rest.length > 0 || (bidId !== undefined && !isId(bidId))) return null;
  const [funding, bid] = await Promise.all([
    context.loaders.byColumn(Funding, 'loanId').load(loanId),
    bidId === undefined ? null : context.loaders.byId(Bid).load(bidId),
  ]);
  return {
    id: reference.id,
    loan: { id: loanId },
    funding: toFundingNode(funding),
    lastBid: bid !== null && bid.loanId === loanId ? bid : null,
  };
}
