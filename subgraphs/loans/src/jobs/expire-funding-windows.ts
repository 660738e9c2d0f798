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
}

/**
 * The daily funding-window job (流标): every loan still FUNDRAISING `fundingDays` after opening FAILS
 * (conditional update + `loans.loan.failed`, one transaction each), then each failed loan's bank project
 * is set FAILED outside the transaction; whatever the bank did not confirm is retried next run.
 * `runDailyJobs` (repayments) will call it; until then the `expireLoans` admin mutation does.
 */
export async function expireFundingWindows(services: LoansServices, em: EntityManager, now: Date): Promise<ExpiryReport> {
  const openedOnOrBefore = openedOnOrBeforeForExpiry(now, services.settings.fundingDays);
  const due = await em.find(Loan, { status: 'FUNDRAISING', openedAt: { $lte: openedOnOrBefore } }, { orderBy: { openedAt: 'asc' }, limit: EXPIRY_BATCH_MAX });
  let expired = 0;
  for (const loan of due) {
    if (await failLoan(em, loan.id, 'EXPIRE', FUNDING_WINDOW_EXPIRED, now)) expired += 1;
  }
  const toClose = await em.find(Loan, { status: 'FAILED', closeRequestNo: { $ne: null }, bankProjectClosedAt: null }, { limit: EXPIRY_BATCH_MAX, refresh: true });
  let bankProjectsClosed = 0;
  for (const loan of toClose) {
    if (await closeBankProject(em, services.bank, loan, now)) bankProjectsClosed += 1;
  }
  return { expired, bankProjectsClosed };
}
