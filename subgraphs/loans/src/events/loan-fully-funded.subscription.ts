import { isId, LOAN_BIDS_MAX, type EventSubscription, type JsonValue } from '@wanxin/platform';
import { LoanBid } from '../entities/loan-bid.entity';
import { Loan } from '../entities/loan.entity';
import { LOAN_TRANSITIONS } from '../domain/loan-status';

const FEN_PATTERN = /^[1-9][0-9]{0,14}$/;

export interface FundedBid {
  bidId: string;
  investorId: string;
  amountFen: bigint;
}

export interface LoanFullyFundedPayload {
  loanId: string;
  raisedFen: bigint;
  bids: FundedBid[];
}

function decodeBid(value: JsonValue): FundedBid | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { bidId, investorId, amountFen } = value;
  if (typeof bidId !== 'string' || !isId(bidId) || typeof investorId !== 'string' || !isId(investorId)) return null;
  if (typeof amountFen !== 'string' || !FEN_PATTERN.test(amountFen)) return null;
  return { bidId, investorId, amountFen: BigInt(amountFen) };
}

/** Reads the bids subgraph's payload strictly: ids, positive fen strings, distinct bids, Σ bids = raised. */
export function decodeLoanFullyFunded(payload: Record<string, JsonValue>): LoanFullyFundedPayload | null {
  const { loanId, raisedFen, bids } = payload;
  if (typeof loanId !== 'string' || !isId(loanId) || typeof raisedFen !== 'string' || !FEN_PATTERN.test(raisedFen)) return null;
  if (!Array.isArray(bids) || bids.length === 0 || bids.length > LOAN_BIDS_MAX) return null;
  const decoded = bids.map(decodeBid);
  if (decoded.some((bid) => bid === null)) return null;
  const funded = decoded as FundedBid[];
  if (new Set(funded.map((bid) => bid.bidId)).size !== funded.length) return null;
  const sumFen = funded.reduce((sum, bid) => sum + bid.amountFen, 0n);
  return sumFen === BigInt(raisedFen) ? { loanId, raisedFen: sumFen, bids: funded } : null;
}

/**
 * `bids.loan.fully-funded` → the loan FUNDRAISING → FULLY_FUNDED, its bids stored for the payout event.
 * A payload that disagrees with the loan (unknown loan, raised ≠ amount, loan not FUNDRAISING) throws:
 * the message is redelivered and then dead-lettered, with the reason in the log.
 */
export const loanFullyFunded: EventSubscription<LoanFullyFundedPayload> = {
  name: 'loan-fully-funded',
  type: 'bids.loan.fully-funded',
  version: 1,
  decode: decodeLoanFullyFunded,
  async handle(em, { loanId, raisedFen, bids }) {
    const loan = await em.findOne(Loan, { id: loanId });
    if (loan === null) throw new Error(`bids.loan.fully-funded: loan ${loanId} does not exist`);
    if (loan.amountFen !== raisedFen) throw new Error(`bids.loan.fully-funded: loan ${loanId} is ${loan.amountFen} fen, bids raised ${raisedFen}`);
    const [from, to] = LOAN_TRANSITIONS.FULLY_FUND;
    const moved = await em.nativeUpdate(Loan, { id: loanId, status: from }, { status: to });
    if (moved === 0) throw new Error(`bids.loan.fully-funded: loan ${loanId} is ${loan.status}, not ${from}`);
    await em.insertMany(LoanBid, bids.map((bid) => ({ ...bid, loanId })));
  },
};
