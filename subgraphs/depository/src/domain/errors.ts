/**
 * Every error the depository subgraph shows a client. None of its own yet: its reads are guarded by the
 * platform's owner-or-admin check; opening an account, recharge and withdrawal bring the first.
 */
export const DepositoryErrors = {};
