import {
  BANK_BATCH_MAX,
  CommonErrors,
  forkEntityManager,
  GroupCommit,
  insertRows,
  retryingLockConflicts,
  unreachable,
  type Database,
  type EntityManager,
  type InternalBankClient,
} from '@wanxin/platform';
import { autoRefusals, autoServedOf } from '../domain/auto-invest';
import { admitBids, newBankRequestNo, type BidLimits } from '../domain/bid-rules';
import { AutoInvestErrors, BidErrors } from '../domain/errors';
import { Bid } from '../entities/bid.entity';
import { autoBidsOf, markRulesServed } from '../store';
import { countReservations, lockFundings } from './reserve-funding';
import { freezeBids, type FreezeOutcome, type PendingFreeze } from './settle-bid';

/** The rule an auto bid serves, and the most the loan's auto bids may hold together. */
export interface AutoOrder {
  ruleId: string;
  capFen: bigint;
}

/** One placeBid call, or one bid of the auto-invest engine. */
interface BidOrder {
  investorId: string;
  loanId: string;
  amountFen: bigint;
  now: Date;
  auto: AutoOrder | null;
}

/** A call's answer: its bid, or the error it gets. */
type Placement = { bid: Bid } | { error: Error };

/** placeBid calls waiting for a round, at most: past it a call is told to retry (RATE_LIMITED). */
export const BIDS_WAITING_MAX = 2_000;
/** Bids one round takes: its freezes go to the bank as one batch. */
export const BIDS_PER_ROUND_MAX = BANK_BATCH_MAX;
const RETRY_AFTER_MS = 1_000;

/**
 * Places bids in rounds (group commit, platform GroupCommit): calls that arrive while `roundsInFlight`
 * rounds run wait and go together in the next. A round is placeBid as one bid would do it, for many:
 * (1) one transaction locks the loans' fundings, admits the bids in their order with the rules of
 * domain.md step 6 (domain/admitBids), counts the admitted ones with one UPDATE per loan and inserts them
 * PENDING, each with its own requestNo; (2) their freezes go to the bank as one batch; (3) the answers
 * settle them (freezeBids): FROZEN, or FAILED with the reservation given back; with no answer a bid stays
 * PENDING and the settle job asks again. A refused bid is refused exactly as it would be alone after the
 * bids before it.
 */
export class BidDesk {
  private readonly rounds: GroupCommit<BidOrder, Placement>;

  constructor(
    private readonly orm: Database,
    private readonly bank: InternalBankClient,
    private readonly limits: BidLimits,
    roundsInFlight: number,
  ) {
    this.rounds = new GroupCommit((orders) => this.placeRound(orders), {
      groupsInFlightMax: roundsInFlight,
      itemsPerGroupMax: BIDS_PER_ROUND_MAX,
      waitingMax: BIDS_WAITING_MAX,
    });
  }

  /** Places one bid; `auto` when the auto-invest engine places it for a rule (at most once per loan and rule). */
  async place(
    investorId: string,
    loanId: string,
    amountFen: bigint,
    now: Date,
    auto: AutoOrder | null = null,
  ): Promise<Bid> {
    const placement = this.rounds.offer({ investorId, loanId, amountFen, now, auto });
    if (placement === undefined)
      throw CommonErrors.rateLimited(`${BIDS_WAITING_MAX} bids are waiting: try again shortly`, RETRY_AFTER_MS);
    const placed = await placement;
    if ('error' in placed) throw placed.error;
    return placed.bid;
  }

  private async placeRound(orders: BidOrder[]): Promise<Placement[]> {
    const reservations = await retryingLockConflicts(() => this.reserve(orders));
    const pending = reservations.filter((reservation): reservation is PendingFreeze => !('error' in reservation));
    if (pending.length === 0) return reservations as Placement[];
    const outcomes = await freezeBids(forkEntityManager(this.orm), this.bank, pending, orders[0].now);
    const outcomeOf = new Map(pending.map((freeze, index) => [freeze.bid, outcomes[index]]));
    return Promise.all(
      reservations.map((reservation) =>
        'error' in reservation ? reservation : this.placement(reservation.bid, outcomeOf.get(reservation.bid)!),
      ),
    );
  }

  /** One transaction: the orders' fundings locked, their bids admitted in order, counted and inserted PENDING. */
  private reserve(orders: readonly BidOrder[]): Promise<(PendingFreeze | { error: Error })[]> {
    return forkEntityManager(this.orm).transactional(async (tx) => {
      const fundings = await lockFundings(
        tx,
        orders.map((order) => order.loanId),
      );
      const reservations: (PendingFreeze | { error: Error })[] = new Array(orders.length);
      const created: Bid[] = [];
      const autoRefused = await refuseAutoOrders(tx, orders);
      for (const [loanId, allIndexes] of indexesByLoan(orders)) {
        const indexes = allIndexes.filter((index) => {
          const refusal = autoRefused.get(index);
          if (refusal !== undefined) reservations[index] = { error: refusal };
          return refusal === undefined;
        });
        const funding = fundings.get(loanId) ?? null;
        const { refusals, after } = admitBids(
          funding,
          indexes.map((index) => orders[index]),
          this.limits,
        );
        indexes.forEach((orderIndex, position) => {
          const refusal = refusals[position];
          if (refusal !== null) return void (reservations[orderIndex] = { error: BidErrors.refused(refusal, loanId) });
          const { investorId, amountFen, now, auto } = orders[orderIndex];
          const bid = Object.assign(new Bid(), {
            loanId,
            investorId,
            amountFen,
            status: 'PENDING',
            requestNo: newBankRequestNo('BD'),
            autoRuleId: auto?.ruleId ?? null,
            createdAt: now,
          });
          created.push(bid);
          // The loan number never changes: the freeze names the project with the one read here.
          reservations[orderIndex] = { bid, loanNo: funding!.loanNo };
        });
        if (funding !== null && after !== funding) await countReservations(tx, funding, after!);
      }
      const served = created.flatMap((bid) => (bid.autoRuleId === null ? [] : [bid.autoRuleId]));
      // The rules that bid go to the back of the fair queue with their bids: both commit, or neither.
      if (served.length > 0) await markRulesServed(tx, served, orders[0].now);
      if (created.length > 0) await insertRows(tx, Bid, created);
      return reservations;
    });
  }

  /** What the placing call gets once the bank answered its freeze. */
  private async placement(bid: Bid, outcome: FreezeOutcome): Promise<Placement> {
    switch (outcome.kind) {
      case 'REFUSED':
        return {
          error: outcome.insufficient
            ? BidErrors.insufficientFunds(outcome.message)
            : BidErrors.bankRefused(outcome.code, outcome.message),
        };
      case 'FROZEN':
        // The bank froze this requestNo and it was marked so: whoever marked it, it is FROZEN.
        bid.status = 'FROZEN';
        return { bid };
      case 'UNKNOWN': {
        // The settle job may settle it from now on: show what the database holds.
        const settled = await forkEntityManager(this.orm).findOne(Bid, { id: bid.id });
        return settled === null ? { error: CommonErrors.notFound('Bid', bid.id) } : { bid: settled };
      }
      default:
        return unreachable(outcome, 'freeze outcome');
    }
  }
}

/**
 * The auto orders of a round that their loan refuses (already served by their rule, or past the auto
 * share), by position: read under the fundings' locks, so two engines on one loan cannot both pass.
 */
async function refuseAutoOrders(tx: EntityManager, orders: readonly BidOrder[]): Promise<Map<number, Error>> {
  const refused = new Map<number, Error>();
  const autoLoanIds = [...new Set(orders.flatMap((order) => (order.auto === null ? [] : [order.loanId])))];
  if (autoLoanIds.length === 0) return refused;
  const existing = await autoBidsOf(tx, autoLoanIds);
  for (const loanId of autoLoanIds) {
    const served = autoServedOf(existing.filter((row) => row.loanId === loanId));
    const indexes = orders.flatMap((order, index) => (order.loanId === loanId && order.auto !== null ? [index] : []));
    const asks = indexes.map((index) => ({ ...orders[index].auto!, amountFen: orders[index].amountFen }));
    autoRefusals(served, asks).forEach((refusal, position) => {
      if (refusal !== null)
        refused.set(indexes[position], AutoInvestErrors.refused(refusal, loanId, asks[position].ruleId));
    });
  }
  return refused;
}

/** The orders' positions grouped by loan, each group in arrival order. */
function indexesByLoan(orders: readonly BidOrder[]): Map<string, number[]> {
  const byLoan = new Map<string, number[]>();
  orders.forEach((order, index) => {
    const indexes = byLoan.get(order.loanId);
    if (indexes === undefined) byLoan.set(order.loanId, [index]);
    else indexes.push(index);
  });
  return byLoan;
}
