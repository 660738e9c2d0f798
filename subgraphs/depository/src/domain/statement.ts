import { assert } from '@wanxin/platform';
import type { PostingFen, PreTransactionBizType } from '@wanxin/platform/bank-protocol';

/**
 * A user's statement: one entry for every posting the bank made on their depository account, in the
 * bank's order (its posting number), in business language. `amountFen` is what the entry changed of the
 * user's money at the bank (available + frozen): a freeze moves money from available to frozen and
 * changes nothing of it, so Σ amounts = available + frozen, and each entry's balances are the bank's.
 */
export const STATEMENT_KINDS = [
  'RECHARGE',
  'WITHDRAW',
  'BID_FROZEN',
  'BID_RELEASED',
  'LOAN_PAYOUT',
  'REPAYMENT_FROZEN',
  'REPAYMENT_RELEASED',
  'REPAYMENT',
  'RECEIPT',
  'TRANSFER_BOUGHT',
  'TRANSFER_SOLD',
  'FEE',
] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

/** What the agent knows of the request a bank result answers. */
export interface AnsweredRequest {
  requestNo: string;
  serviceName: string;
  businessDate: string;
  /** The request's projectNo and freeze kind, for freezes and the requests that settle them. */
  projectNo: string | null;
  bizType: PreTransactionBizType | null;
  /** An investor's share of a repayment, by bank userNo, when the request pays investors. */
  shares: ReadonlyMap<string, { principalFen: bigint; interestFen: bigint }>;
  /** A claim transfer's seller (bank userNo): paid the price, then charged the fee; the other party bought. */
  sellerUserNo: string | null;
}

export interface StatementEntryDraft {
  userNo: string;
  bankSeq: bigint;
  requestNo: string;
  kind: StatementKind;
  amountFen: bigint;
  availableChangeFen: bigint;
  frozenChangeFen: bigint;
  availableAfterFen: bigint;
  frozenAfterFen: bigint;
  businessDate: string;
  /** The loan number for what concerns a loan, the request number for the user's own recharge or withdrawal. */
  reference: string;
  principalFen: bigint | null;
  interestFen: bigint | null;
}

/** A freeze and its release, by what was frozen: a bid, or a borrower's installment being collected. */
const FREEZE_KINDS = {
  TENDER: { frozen: 'BID_FROZEN', released: 'BID_RELEASED' },
  REPAYMENT: { frozen: 'REPAYMENT_FROZEN', released: 'REPAYMENT_RELEASED' },
} as const satisfies Record<PreTransactionBizType, { frozen: StatementKind; released: StatementKind }>;

function freezeKindsOf(request: AnsweredRequest): (typeof FREEZE_KINDS)[PreTransactionBizType] {
  assert(request.bizType !== null, `request ${request.requestNo}: the agent has no record of its freeze's kind`);
  return FREEZE_KINDS[request.bizType];
}

function kindOf(request: AnsweredRequest, posting: PostingFen): StatementKind | null {
  switch (request.serviceName) {
    case 'RECHARGE':
    case 'WITHDRAW':
      return request.serviceName;
    case 'USER_AUTO_PRE_TRANSACTION':
      return freezeKindsOf(request).frozen;
    case 'CANCEL_PRE_TRANSACTION':
      return freezeKindsOf(request).released;
    case 'CONFIRM_LOAN':
      return 'LOAN_PAYOUT';
    case 'CONFIRM_REPAYMENT':
      // The borrower's freeze is posted (frozen goes down); the investors are paid (available goes up).
      return posting.frozenChangeFen < 0n ? 'REPAYMENT' : 'RECEIPT';
    case 'CREDIT_ASSIGNMENT':
      // The buyer pays the price; the seller's account takes the price, then the fee (two postings).
      if (posting.userNo !== request.sellerUserNo) return 'TRANSFER_BOUGHT';
      return posting.availableChangeFen > 0n ? 'TRANSFER_SOLD' : 'FEE';
    default:
      return null;
  }
}

/**
 * The statement entries a success answer's postings make, one a posting; none for a service that moves
 * no user's money. Each posting's figures must agree with themselves (balances never negative).
 */
export function statementEntriesOf(request: AnsweredRequest, postings: readonly PostingFen[]): StatementEntryDraft[] {
  return postings.flatMap((posting) => {
    const kind = kindOf(request, posting);
    if (kind === null) return [];
    assert(posting.availableFen >= 0n && posting.frozenFen >= 0n, `posting ${posting.seq} of ${posting.userNo}`);
    const share = kind === 'RECEIPT' ? request.shares.get(posting.userNo) : undefined;
    const amountFen = posting.availableChangeFen + posting.frozenChangeFen;
    assert(
      share === undefined || share.principalFen + share.interestFen === amountFen,
      `request ${request.requestNo}: ${posting.userNo} received ${amountFen}, their share is another`,
    );
    const pageService = kind === 'RECHARGE' || kind === 'WITHDRAW';
    return [
      {
        userNo: posting.userNo,
        bankSeq: posting.seq,
        requestNo: request.requestNo,
        kind,
        amountFen,
        availableChangeFen: posting.availableChangeFen,
        frozenChangeFen: posting.frozenChangeFen,
        availableAfterFen: posting.availableFen,
        frozenAfterFen: posting.frozenFen,
        businessDate: request.businessDate,
        reference: pageService ? request.requestNo : (request.projectNo ?? request.requestNo),
        principalFen: share?.principalFen ?? null,
        interestFen: share?.interestFen ?? null,
      },
    ];
  });
}
