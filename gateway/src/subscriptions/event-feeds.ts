import { BUSINESS_DATE_ADVANCED_TYPE, isId, unreachable, type EventEnvelope, type JsonObject } from '@wanxin/platform';
import {
  CreditApplicationChanged,
  ReconciliationCompleted,
  TransferCancelled,
  TransferExpired,
  TransferListed,
  TransferSold,
} from '@wanxin/platform/contracts';

/** The public subscription fields (api-contract.md), each fed by events. */
export const SUBSCRIPTION_FIELDS = ['loanFunding', 'repaymentStatus', 'platformStats', 'transferMarket'] as const;
export type SubscriptionField = (typeof SUBSCRIPTION_FIELDS)[number];

export function isSubscriptionField(name: string): name is SubscriptionField {
  return (SUBSCRIPTION_FIELDS as readonly string[]).includes(name);
}

/**
 * What one event feeds one kind of subscription: `key` picks the subscriptions (the field and its
 * loan), `root` is what the events schema answers for the primary fetch (entity keys, `__typename` included).
 * A conflatable feed only says "read again": of several waiting, the last one is enough.
 */
export interface Feed {
  key: string;
  root: Record<string, unknown>;
  conflatable: boolean;
}

/** The feed a subscription listens to: the field, and the loan for the per-loan fields. */
export function feedKey(field: SubscriptionField, loanId: string | undefined): string {
  switch (field) {
    case 'loanFunding':
    case 'repaymentStatus':
      return `${field}:${loanId}`;
    case 'platformStats':
    case 'transferMarket':
      return field;
    default:
      return unreachable(field, 'subscription field');
  }
}

/** Events that change a loan's funding or status (loanFunding). */
const LOAN_STATUS_EVENTS = [
  'loans.loan.opened',
  'loans.loan.failed',
  'loans.loan.disbursed',
  'bids.loan.fully-funded',
  'repayments.loan.settled',
];
const BID_PLACED = 'bids.bid.placed';
/** The repayments subgraph's installment events (payloads version 1: `{ installmentId, loanId, borrowerId, period, … }`). */
const INSTALLMENT_EVENTS = ['repayments.installment.repaid', 'repayments.installment.overdue'];
/**
 * Events that change only admins' figures: a new business day changes every daily one, a credit application's
 * status the pending reviews, a completed reconciliation the last one.
 */
const STATS_ONLY_EVENTS = [BUSINESS_DATE_ADVANCED_TYPE, CreditApplicationChanged.type, ReconciliationCompleted.type];

/** The claim-transfer market's events (payloads version 1: `{ transferId, bidId, loanId, … }`). */
const TRANSFER_EVENTS = [TransferListed.type, TransferSold.type, TransferCancelled.type, TransferExpired.type];

/** Every routing key the gateway listens to; the business date's event also moves "today". */
export const FEED_ROUTING_KEYS: readonly string[] = [
  BID_PLACED,
  ...LOAN_STATUS_EVENTS,
  ...INSTALLMENT_EVENTS,
  ...STATS_ONLY_EVENTS,
  ...TRANSFER_EVENTS,
];

/** The payload's id field, when it is a well-formed id. */
function idIn(payload: JsonObject, field: string): string | null {
  const value = payload[field];
  return typeof value === 'string' && isId(value) ? value : null;
}

function loanFundingFeed(loanId: string, bidId: string | null): Feed {
  const id = bidId === null ? loanId : `${loanId}:${bidId}`;
  return {
    key: feedKey('loanFunding', loanId),
    root: { loanFunding: { __typename: 'FundingEvent', id } },
    conflatable: false,
  };
}

function repaymentStatusFeed(loanId: string, installmentId: string): Feed {
  const root = {
    __typename: 'InstallmentEvent',
    loan: { __typename: 'Loan', id: loanId },
    installment: { __typename: 'Installment', id: installmentId },
  };
  return { key: feedKey('repaymentStatus', loanId), root: { repaymentStatus: root }, conflatable: false };
}

/** A listing, sale, cancellation or expiry: the transfer as it stands after it, with its federated fields. */
function transferMarketFeed(transferId: string): Feed {
  return {
    key: feedKey('transferMarket', undefined),
    root: { transferMarket: { __typename: 'Transfer', id: transferId } },
    conflatable: false,
  };
}

/** The figures of the business day `today`; every event that may change one feeds it. */
function platformStatsFeed(today: string): Feed {
  return {
    key: feedKey('platformStats', undefined),
    root: { platformStats: { __typename: 'PlatformStats', date: today } },
    conflatable: true,
  };
}

/**
 * The feeds of one event (version 1 payloads); an event it cannot read feeds nothing (a newer version
 * is not guessed at). `today` is the business date, the day of the platform's daily figures.
 */
export function feedsOf(envelope: EventEnvelope, today: string): Feed[] {
  if (envelope.version !== 1) return [];
  if (STATS_ONLY_EVENTS.includes(envelope.type)) return [platformStatsFeed(today)];
  if (TRANSFER_EVENTS.includes(envelope.type)) {
    const transferId = idIn(envelope.payload, 'transferId');
    return transferId === null ? [] : [transferMarketFeed(transferId)];
  }
  const loanId = idIn(envelope.payload, 'loanId');
  if (loanId === null) return [];
  if (envelope.type === BID_PLACED) {
    const bidId = idIn(envelope.payload, 'bidId');
    return bidId === null ? [] : [loanFundingFeed(loanId, bidId), platformStatsFeed(today)];
  }
  if (LOAN_STATUS_EVENTS.includes(envelope.type)) return [loanFundingFeed(loanId, null), platformStatsFeed(today)];
  if (INSTALLMENT_EVENTS.includes(envelope.type)) {
    const installmentId = idIn(envelope.payload, 'installmentId');
    return installmentId === null ? [] : [repaymentStatusFeed(loanId, installmentId), platformStatsFeed(today)];
  }
  return [];
}
