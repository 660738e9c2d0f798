/**
 * A loan's lifecycle (domain.md §3): PENDING_REVIEW → FUNDRAISING | REJECTED; FUNDRAISING → FULLY_FUNDED
 * | FAILED; FULLY_FUNDED → REPAYING | FAILED; REPAYING → SETTLED. The transition table arrives with the
 * first operation that moves a loan.
 */
export const LOAN_STATUSES = [
  'PENDING_REVIEW',
  'REJECTED',
  'FUNDRAISING',
  'FULLY_FUNDED',
  'REPAYING',
  'SETTLED',
  'FAILED',
] as const;

export type LoanStatus = (typeof LOAN_STATUSES)[number];
