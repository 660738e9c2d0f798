import { InternalBankClient, subgraphBankClient, type EnvReader, type SubgraphRuntime } from '@wanxin/platform';
import { LOAN_AMOUNT_MIN_FEN, loanRatesProblem, type LoanRates } from './domain/loan-rules';

/** The loans subgraph's own settings. */
export interface LoansSettings {
  /** Every borrower's credit line for now (LOAN_MAX_AMOUNT): a per-borrower line comes with credit scoring. */
  creditLineFen: bigint;
  rates: LoanRates;
  /** LOAN_FUNDING_DAYS: a loan not fully funded this many days after opening FAILS. */
  fundingDays: number;
  /** LOAN_SERVICE_FEE_RATE: kept by the platform from the payout; 0 = no fee. */
  serviceFeeRateMicros: number;
  /** LOAN_DAILY_JOB_INTERVAL_MS: how often recorded business days are looked for and unfinished ones retried. */
  dailyJobIntervalMs: number;
}

export function readLoansSettings(reader: EnvReader): LoansSettings {
  const creditLineFen = reader.money('LOAN_MAX_AMOUNT', '500000.00');
  if (creditLineFen < LOAN_AMOUNT_MIN_FEN)
    reader.problem('LOAN_MAX_AMOUNT', 'must be at least 2000.00, the smallest loan');
  const rates = {
    borrowerRateMicros: reader.rate('LOAN_BORROWER_RATE', '0.15'),
    investorRateMicros: reader.rate('LOAN_INVESTOR_RATE', '0.10'),
  };
  const ratesProblem = loanRatesProblem(rates);
  if (ratesProblem !== null) reader.problem('LOAN_INVESTOR_RATE', ratesProblem);
  return {
    creditLineFen,
    rates,
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
