/**
 * Every error the bids subgraph shows a client. None of its own yet: its reads are guarded by the
 * platform's owner-or-admin check; placing a bid brings the first (a closed loan, too small an amount).
 */
export const BidErrors = {};
