import { PRE_TRANSACTION_BIZ_TYPES, type PreTransactionBizType } from '@wanxin/platform/bank-protocol';

/** A freeze as the agent recorded it: what the release or the repayment that settles it is read through. */
export interface RecordedFreeze {
  amountFen: bigint | null;
  projectNo: string | null;
  bizType: PreTransactionBizType | null;
}

/** What the agent recorded earlier: each freeze by its requestNo, each project's amount by its projectNo. */
export interface RecordedAmounts {
  freezes: ReadonlyMap<string, RecordedFreeze>;
  projects: ReadonlyMap<string, bigint | null>;
}

/** The freeze kind an instruction names, or null. */
export function bizTypeOf(reqData: Record<string, unknown>): PreTransactionBizType | null {
  const { bizType } = reqData;
  return (PRE_TRANSACTION_BIZ_TYPES as readonly unknown[]).includes(bizType)
    ? (bizType as PreTransactionBizType)
    : null;
}

const FEN_PATTERN = /^[0-9]{1,15}$/;

function fenOf(value: unknown): bigint | null {
  return typeof value === 'string' && FEN_PATTERN.test(value) ? BigInt(value) : null;
}

/** Σ principal + interest of the shares, plus the commission; null when a part is malformed. */
function repaymentTotalFen(reqData: Record<string, unknown>): bigint | null {
  const details = Array.isArray(reqData.details) ? (reqData.details as Record<string, unknown>[]) : [];
  let totalFen = fenOf(reqData.commissionFen);
  for (const detail of details) {
    const principalFen = fenOf(detail.principalFen);
    const interestFen = fenOf(detail.interestFen);
    totalFen =
      totalFen === null || principalFen === null || interestFen === null ? null : totalFen + principalFen + interestFen;
  }
  return totalFen;
}

/**
 * The amount a direct instruction moves, as the platform expects it before the bank answers, or null when
 * it moves none: what the daily reconciliation holds against the amount in the bank's file. Most
 * instructions name it (a claim transfer's `amountFen` is its price, which the buyer pays: the fee is paid
 * out of it); a release moves what its freeze froze, a payout what the project raised (the loan's amount,
 * as CREATE_PROJECT registered it), a repayment the shares and the commission it pays.
 */
export function expectedAmountFen(
  serviceName: string,
  reqData: Record<string, unknown>,
  recorded: RecordedAmounts,
): bigint | null {
  switch (serviceName) {
    case 'CONFIRM_REPAYMENT':
      return repaymentTotalFen(reqData);
    case 'CANCEL_PRE_TRANSACTION':
      return recorded.freezes.get(String(reqData.preRequestNo))?.amountFen ?? null;
    case 'CONFIRM_LOAN':
      return recorded.projects.get(String(reqData.projectNo)) ?? null;
    default:
      return fenOf(reqData.amountFen);
  }
}
