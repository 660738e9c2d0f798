import {
  formatMoney,
  InternalBankClient,
  subgraphBankClient,
  type EnvReader,
  type SubgraphRuntime,
} from '@wanxin/platform';
import { CREDIT_PRICING_DEFAULTS, creditPricingProblem, type CreditPricing } from './domain/credit-line';
import { PROGRESS_AMOUNT_MAX_FEN } from './domain/loan-search';
import { commissionMicrosOf, LOAN_AMOUNT_MIN_FEN, loanRatesProblem, type LoanRates } from './domain/loan-rules';

/** The loans subgraph's own settings. */
export interface LoansSettings {
  /** LOAN_MAX_AMOUNT: the largest single loan, whatever the borrower's credit line. */
  loanMaxFen: bigint;
  /** LOAN_BORROWER_RATE, LOAN_INVESTOR_RATE: their difference is the platform's commission. */
  rates: LoanRates;
  /** CREDIT_RATE_MIN, CREDIT_RATE_MAX, LEGAL_RATE_CEILING, INVESTOR_RATE_FLOOR, and the commission. */
  creditPricing: CreditPricing;
  /**
   * LOAN_ONE_UNDER_REVIEW: a borrower has at most one loan waiting for review (domain.md §2 step 4). Off, a
   * borrower may publish as many as their credit line covers, which bounds them either way.
   */
  oneLoanUnderReview: boolean;
  /** LOAN_FUNDING_DAYS: a loan not fully funded this many days after opening FAILS. */
  fundingDays: number;
  /** LOAN_SERVICE_FEE_RATE: kept by the platform from the payout; 0 = no fee. */
  serviceFeeRateMicros: number;
  /** LOAN_DAILY_JOB_INTERVAL_MS: how often recorded business days are looked for and unfinished ones retried. */
  dailyJobIntervalMs: number;
}

const CREDIT_PRICING_VARIABLES = 'CREDIT_RATE_MIN, CREDIT_RATE_MAX, LEGAL_RATE_CEILING, INVESTOR_RATE_FLOOR';

function readCreditPricing(reader: EnvReader, rates: LoanRates): CreditPricing {
  const pricing = {
    minRateMicros: reader.rate('CREDIT_RATE_MIN', CREDIT_PRICING_DEFAULTS.minRate),
    maxRateMicros: reader.rate('CREDIT_RATE_MAX', CREDIT_PRICING_DEFAULTS.maxRate),
    ceilingRateMicros: reader.rate('LEGAL_RATE_CEILING', CREDIT_PRICING_DEFAULTS.ceilingRate),
    // Rates already refused leave the commission unknown: the other checks still run on the defaults' spread.
    commissionMicros: loanRatesProblem(rates) === null ? commissionMicrosOf(rates) : 0,
    investorRateFloorMicros: reader.rate('INVESTOR_RATE_FLOOR', CREDIT_PRICING_DEFAULTS.investorRateFloor),
  };
  const problem = creditPricingProblem(pricing);
  if (problem !== null) reader.problem(CREDIT_PRICING_VARIABLES, problem);
  return pricing;
}

export function readLoansSettings(reader: EnvReader): LoansSettings {
  const loanMaxFen = reader.money('LOAN_MAX_AMOUNT', '500000.00');
  if (loanMaxFen < LOAN_AMOUNT_MIN_FEN)
    reader.problem('LOAN_MAX_AMOUNT', 'must be at least 2000.00, the smallest loan');
  // Above it, two loans' progress could share a key and the PROGRESS order would no longer be exact.
  if (loanMaxFen > PROGRESS_AMOUNT_MAX_FEN)
    reader.problem('LOAN_MAX_AMOUNT', `must be at most ${formatMoney(PROGRESS_AMOUNT_MAX_FEN)}`);
  const rates = {
    borrowerRateMicros: reader.rate('LOAN_BORROWER_RATE', '0.15'),
    investorRateMicros: reader.rate('LOAN_INVESTOR_RATE', '0.10'),
  };
  const ratesProblem = loanRatesProblem(rates);
  if (ratesProblem !== null) reader.problem('LOAN_INVESTOR_RATE', ratesProblem);
  return {
    loanMaxFen,
    rates,
    creditPricing: readCreditPricing(reader, rates),
    oneLoanUnderReview: reader.oneOf('LOAN_ONE_UNDER_REVIEW', ['0', '1'], '1') === '1',
    fundingDays: reader.int('LOAN_FUNDING_DAYS', 15, 1, 365),
    serviceFeeRateMicros: reader.rate('LOAN_SERVICE_FEE_RATE', '0'),
    dailyJobIntervalMs: reader.int('LOAN_DAILY_JOB_INTERVAL_MS', 5_000, 100, 3_600_000),
  };
}

/** What the loans resolvers, consumers and jobs need beyond the request. */
export interface LoansServices {
  settings: LoansSettings;
  bank: InternalBankClient;
}

export async function createLoansServices(runtime: SubgraphRuntime<LoansSettings>): Promise<LoansServices> {
  return { settings: runtime.settings, bank: subgraphBankClient(runtime.config) };
}
