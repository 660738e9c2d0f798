import { connectionType } from '@wanxin/platform';
import { BidNode } from './bid.type';

/**
 * `BidConnection` and `BidEdge`: pages of bids, newest first. Shareable: repayments declares it too, for
 * `User.holdings` (the bids a user holds now, after claim transfers).
 */
export const BidConnection = connectionType('Bid', BidNode, { shareable: true });
