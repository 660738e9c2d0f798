import type { SubgraphDefinition } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import { Funding } from '../entities/funding.entity';

/** Tags of a bid's or a funding's change: its loan (Loan.funding, Loan.bids), and the bid itself. */
const loanTags = (row: { loanId?: string; id?: string }, type: 'Bid' | 'Funding') =>
  row.loanId === undefined
    ? undefined
    : [`Loan:${row.loanId}`, ...(type === 'Bid' && row.id !== undefined ? [`Bid:${row.id}`] : [])];

/**
 * What the gateway may keep of bids' answers: a loan's funding and bids, and the bids' own columns. Both are
 * read through the loan, so a bid's or a funding's change stamps `Loan:<loanId>`.
 */
export const BIDS_READ_CACHE: SubgraphDefinition['readCache'] = {
  cacheableFields: [
    'Loan.id',
    'Loan.funding',
    'Loan.bids',
    'Funding.*',
    'BidConnection.*',
    'BidEdge.*',
    'PageInfo.*',
    'User.id',
    ...['id', 'amount', 'status', 'createdAt', 'loan', 'investor', 'auto'].map((field) => `Bid.${field}`),
  ],
  changeTags: [
    { entity: Bid, tagsOf: (bid: Partial<Bid>) => loanTags(bid, 'Bid') },
    { entity: Funding, tagsOf: (funding: Partial<Funding>) => loanTags(funding, 'Funding') },
  ],
};
