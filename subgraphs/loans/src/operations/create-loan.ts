import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { assert, type EntityManager, type RepaymentMethod } from '@wanxin/platform';
import { LoanErrors } from '../domain/errors';
import { annualRateProblem, loanAmountProblem, newLoanNo, ratesForLoan, termMonthsProblem } from '../domain/loan-rules';
import { Loan } from '../entities/loan.entity';
import { OpenedAccount } from '../entities/opened-account.entity';
import type { LoansSettings } from '../services';

/** Attempts at a fresh loan number when one is taken (a 1 in 4 billion chance per day each). */
const LOAN_NO_ATTEMPTS_MAX = 3;

export interface NewLoan {
  title: string;
  description: string | null;
  amountFen: bigint;
  termMonths: number;
  repaymentMethod: RepaymentMethod;
  annualRateMicros: number | undefined;
}

/** Checks a new loan against the rules of domain.md §2 step 4; throws BAD_USER_INPUT naming the field. */
export function validateNewLoan(loan: NewLoan, settings: LoansSettings): void {
  const amountProblem = loanAmountProblem(loan.amountFen, settings.creditLineFen);
  if (amountProblem !== null) throw LoanErrors.badInput('amount', amountProblem);
  const termProblem = termMonthsProblem(loan.termMonths, loan.repaymentMethod);
  if (termProblem !== null) throw LoanErrors.badInput('termMonths', termProblem);
  if (loan.annualRateMicros === undefined) return;
  const rateProblem = annualRateProblem(loan.annualRateMicros, settings.rates);
  if (rateProblem !== null) throw LoanErrors.badInput('annualRate', rateProblem);
}

/**
 * Stores a validated loan PENDING_REVIEW for a borrower whose depository account is opened and who has
 * no other loan under review. The check gives the friendly error; the unique `underReviewBorrowerId`
 * decides between concurrent requests (the loser's insert fails and gets the same error).
 */
export async function insertLoan(
  em: EntityManager,
  borrowerId: string,
  loan: NewLoan,
  settings: LoansSettings,
): Promise<Loan> {
  if ((await em.count(OpenedAccount, { userId: borrowerId })) === 0) throw LoanErrors.accountNotOpened();
  const rates = ratesForLoan(loan.annualRateMicros, settings.rates);
  for (let attempt = 1; ; attempt += 1) {
    if ((await em.count(Loan, { borrowerId, status: 'PENDING_REVIEW' })) > 0) throw LoanErrors.loanUnderReview();
    try {
      return await em.transactional(async (tx) => {
        const created = tx.create(Loan, {
          loanNo: newLoanNo(),
          borrowerId,
          underReviewBorrowerId: borrowerId,
          title: loan.title,
          description: loan.description,
          amountFen: loan.amountFen,
          ...rates,
          termMonths: loan.termMonths,
          repaymentMethod: loan.repaymentMethod,
          status: 'PENDING_REVIEW',
        });
        assert(
          created.investorRateMicros <= created.annualRateMicros,
          'investors never earn more than the borrower pays',
        );
        return created;
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || attempt >= LOAN_NO_ATTEMPTS_MAX) throw error;
    }
  }
}
