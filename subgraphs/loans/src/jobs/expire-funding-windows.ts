import type { EntityManager } from '@wanxin/platform';
import { openedOnOrBeforeForExpiry } from '../domain/loan-rules';
import { Loan } from '../entities/loan.entity';
import { closeBankProject, failLoan, FUNDING_WINDOW_EXPIRED } from '../operations/fail-loan';
import type { LoansServices } from '../services';

/** Loans handled per run, each step; the rest wait for the next run. */
export const EXPIRY_BATCH_MAX = 100;

export interface ExpiryReport {
  /** Loans moved FUNDRAISING → FAILED by this run. */
  expired: number;
  /** Failed loans whose bank project this run closed (new ones and earlier ones left UNKNOWN). */
  bankProjectsClosed: number;
  /** Loans this run left for the next: still due as of `asOf` (past the batch), or their bank project still open. */
  left: number;
}

/**
 * The daily funding-window job (流标): every loan still FUNDRAISING `fundingDays` before `asOf` FAILS
 * (conditional update + `loans.loan.failed`, one transaction each), then each failed loan's bank project
 * is set FAILED outside the transaction; whatever the bank did not confirm is retried next run.
 * `asOf` is business time (the close of a business day, or the admin's choice) and only decides which
 * loans are due; events and bank stamps carry `now`, the wall clock: an outbox row dated in the future
 * would wait until then to be relayed.
 */
export async function expireFundingWindows(
  services: LoansServices,
  em: EntityManager,
  asOf: Date,
  now = new Date(),
): Promise<ExpiryReport> {
  const due = {
    status: 'FUNDRAISING',
    openedBusinessAt: { $lte: openedOnOrBeforeForExpiry(asOf, services.settings.fundingDays) },
  } as const;
  const awaitingClose = { status: 'FAILED', closeRequestNo: { $ne: null }, bankProjectClosedAt: null } as const;
  let expired = 0;
  for (const loan of await em.find(Loan, due, { orderBy: { openedBusinessAt: 'asc' }, limit: EXPIRY_BATCH_MAX })) {
    if (await failLoan(em, loan.id, 'EXPIRE', FUNDING_WINDOW_EXPIRED, now)) expired += 1;
  }
  let bankProjectsClosed = 0;
  for (const loan of await em.find(Loan, awaitingClose, { limit: EXPIRY_BATCH_MAX, refresh: true })) {
    if (await closeBankProject(em, services.bank, loan, now)) bankProjectsClosed += 1;
  }
  const left = (await em.count(Loan, due)) + (await em.count(Loan, awaitingClose));
  return { expired, bankProjectsClosed, left };
}
