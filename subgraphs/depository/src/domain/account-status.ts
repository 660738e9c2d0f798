/**
 * A depository account's lifecycle (domain.md §3): NOT_OPENED, PENDING while the bank handles the
 * opening the user submitted on its page, then OPENED or FAILED as the bank's notification says. The
 * transition table arrives with account opening.
 */
export type DepositoryStatus = 'NOT_OPENED' | 'PENDING' | 'OPENED' | 'FAILED';
