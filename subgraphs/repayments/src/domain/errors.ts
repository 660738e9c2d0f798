/**
 * Every error the repayments subgraph shows a client. None of its own yet: its reads are guarded by the
 * platform's owner-or-admin check; the schedule calculator and early repayment bring the first.
 */
export const RepaymentErrors = {};
