import { connectionType } from '@wanxin/platform';
import { BidNode } from './bid.type';

/** `BidConnection` and `BidEdge`: pages of bids, newest first. */
export const BidConnection = connectionType('Bid', BidNode);
