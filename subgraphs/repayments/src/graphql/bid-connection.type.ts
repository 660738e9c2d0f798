import { connectionType } from '@wanxin/platform';
import { BidReference } from './external/bid';

/** The bids subgraph's `BidConnection`, declared identically (shareable): pages of `User.holdings`. */
export const BidConnection = connectionType('Bid', BidReference, { shareable: true });
