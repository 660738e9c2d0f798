import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { assert, type EntityManager, type RepaymentMethod } from '@wanxin/platform';
import { creditAvailableFen, lineRateMicros, ratesFromCreditLine, useCredit } from '../domain/credit-line';
import { LoanErrors } from '../domain/errors';
import { loanAmountProblem, newLoanNo, termMonthsProblem } from '../domain/loan-rules';
import { CreditLine } from '../entities/credit-line.entity';
import { Loan } from '../entities/loan.entity';
import { OpenedAccount } from '../entities/opened-account.entity';
import type { LoansSettings } from '../services';
import { useCreditLine } from '../store';

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

/**
 * Checks a new loan against the rules of domain.md §2 step 4 that need no state; throws BAD_USER_INPUT
 * naming the field. The rate is checked against the borrower's credit line in insertLoan.
 */
export function validateNewLoan(loan: NewLoan, settings: LoansSettings): void {
  const amountProblem = loanAmountProblem(loan.amountFen, settings.loanMaxFen);
  if (amountProblem !== null) throw LoanErrors.badInput('amount', amountProblem);
  const termProblem = termMonthsProblem(loan.termMonths, loan.repaymentMethod);
  if (termProblem !== null) throw LoanErrors.badInput('termMonths', termProblem);
}

/** The loan's rates from the borrower's line: its rate by default, an offered one from it to the ceiling. */
function ratesOf(loan: NewLoan, line: CreditLine, settings: LoansSettings) {
  const pricing = settings.creditPricing;
  const rates = ratesFromCreditLine(loan.annualRateMicros, lineRateMicros(line.annualRateMicros, pricing), pricing);
  if (!rates.ok) throw LoanErrors.badInput('annualRate', rates.problem);
  return { annualRateMicros: rates.annualRateMicros, investorRateMicros: rates.investorRateMicros };
}

/** The borrower's line with `amountFen` available, or CREDIT_LIMIT_EXCEEDED saying what is. */
async function lineCovering(em: EntityManager, borrowerId: string, amountFen: bigint): Promise<CreditLine> {
  const line = await em.findOne(CreditLine, { userId: borrowerId }, { refresh: true });
  if (line === null) throw LoanErrors.noCreditLine(amountFen);
  const use = useCredit(line, amountFen);
  if (!use.ok) throw LoanErrors.creditLimitExceeded(amountFen, use.availableFen);
  return line;
}

/**
 * Stores a validated loan PENDING_REVIEW for a borrower whose depository account is opened, whose credit
 * line has the amount available and (with LOAN_ONE_UNDER_REVIEW) who has no other loan under review. The
 * checks give the friendly errors; the transaction decides between concurrent requests: it uses the
 * amount of the line by a conditional increment (none left: CREDIT_LIMIT_EXCEEDED, nothing stored) and
 * inserts the loan holding it, whose unique `underReviewBorrowerId` refuses a second loan under review.
 */
export async function insertLoan(
  em: EntityManager,
  borrowerId: string,
  loan: NewLoan,
  settings: LoansSettings,
): Promise<Loan> {
  if ((await em.count(OpenedAccount, { userId: borrowerId })) === 0) throw LoanErrors.accountNotOpened();
  for (let attempt = 1; ; attempt += 1) {
    if (settings.oneLoanUnderReview && (await em.count(Loan, { borrowerId, status: 'PENDING_REVIEW' })) > 0)
      throw LoanErrors.loanUnderReview();
    const rates = ratesOf(loan, await lineCovering(em, borrowerId, loan.amountFen), settings);
    try {
      return await em.transactional(async (tx) => {
        if (!(await useCreditLine(tx, borrowerId, loan.amountFen))) {
          const line = await tx.findOneOrFail(CreditLine, { userId: borrowerId }, { refresh: true });
          throw LoanErrors.creditLimitExceeded(loan.amountFen, creditAvailableFen(line));
        }
        const created = tx.create(Loan, {
          loanNo: newLoanNo(),
          borrowerId,
          underReviewBorrowerId: settings.oneLoanUnderReview ? borrowerId : null,
          title: loan.title,
          description: loan.description,
          amountFen: loan.amountFen,
          ...rates,
          termMonths: loan.termMonths,
          repaymentMethod: loan.repaymentMethod,
          status: 'PENDING_REVIEW',
          creditUsedFen: loan.amountFen,
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
