import {
  isId, isRepaymentMethod, RATE_MAX_MICROS, type EventSubscription, type JsonObject, type JsonValue,
} from '@wanxin/platform';
import { Funding } from '../entities/funding.entity';

const FEN_PATTERN = /^[1-9][0-9]{0,14}$/;

export interface LoanOpened {
  loanId: string;
  loanNo: string;
  borrowerId: string;
  amountFen: bigint;
  annualRateMicros: number;
  investorRateMicros: number;
  termMonths: number;
  repaymentMethod: string;
  openedAt: Date;
}

const isRate = (value: JsonValue): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= RATE_MAX_MICROS;

/** Reads the fields of `loans.loan.opened` bids uses, strictly. */
export function decodeLoanOpened(payload: JsonObject): LoanOpened | null {
  const {
    loanId, loanNo, borrowerId, amountFen, annualRateMicros, investorRateMicros, termMonths, repaymentMethod, openedAt,
  } = payload;
  if (typeof loanId !== 'string' || !isId(loanId) || typeof borrowerId !== 'string' || !isId(borrowerId)) return null;
  if (typeof loanNo !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(loanNo)) return null;
  if (typeof amountFen !== 'string' || !FEN_PATTERN.test(amountFen)) return null;
  if (!isRate(annualRateMicros) || !isRate(investorRateMicros) || investorRateMicros > annualRateMicros) return null;
  if (typeof termMonths !== 'number' || !Number.isInteger(termMonths) || termMonths < 1) return null;
  if (!isRepaymentMethod(repaymentMethod) || typeof openedAt !== 'string' || Number.isNaN(Date.parse(openedAt))) return null;
  return {
    loanId, loanNo, borrowerId, amountFen: BigInt(amountFen), annualRateMicros, investorRateMicros, termMonths,
    repaymentMethod, openedAt: new Date(openedAt),
  };
}

/** `loans.loan.opened` → the loan's funding row, FUNDRAISING with nothing raised (once: the inbox dedups). */
export const fundingOnLoanOpened: EventSubscription<LoanOpened> = {
  name: 'funding-on-loan-opened',
  type: 'loans.loan.opened',
  version: 1,
  decode: decodeLoanOpened,
  async handle(em, opened) {
    if ((await em.count(Funding, { loanId: opened.loanId })) > 0) return;
    await em.insert(em.create(Funding, { ...opened, raisedFen: 0n, bidCount: 0, status: 'FUNDRAISING' }, { persist: false }));
  },
};
