import {
  assert,
  chunksOf,
  forkEntityManager,
  isClientError,
  selectRows,
  type Database,
  type EntityManager,
  type InternalBankClient,
} from '@wanxin/platform';
import {
  autoServedOf,
  autoShareCapFen,
  autoShareFull,
  compareServiceOrder,
  planAutoBids,
  ruleMatches,
  type AutoInvestRuleView,
  type AutoShareState,
} from '../domain/auto-invest';
import { AutoInvestRule } from '../entities/auto-invest-rule.entity';
import { AutoInvestRun } from '../entities/auto-invest-run.entity';
import { Funding } from '../entities/funding.entity';
import { autoBidsOf } from '../store';
import type { BidDesk } from './place-bid';

/** The engine's settings (bids' AUTO_INVEST_* variables). */
export interface AutoInvestSettings {
  /** AUTO_INVEST_SHARE_MAX: the most of a loan auto bids take together, in millionths. */
  shareMaxMicros: number;
  /** AUTO_INVEST_BIDS_IN_FLIGHT: auto bids out at once (one chunk of the fair queue). */
  bidsInFlight: number;
  /** AUTO_INVEST_RULES_PAGE: rules read per page of the fair queue. */
  rulesPageSize: number;
  minBidFen: bigint;
}

/** Pages of rules one loan's pass reads at most: past it the pass ends and the loan waits for the next. */
export const AUTO_INVEST_PAGES_MAX = 1_000;

/** What one loan's pass did. */
export interface AutoInvestReport {
  loanId: string;
  /** Auto bids reserved by this pass (FROZEN, or PENDING until the settle job hears the bank). */
  placed: number;
  /** Bids the loan or the bank refused (insufficient funds, a manual bid took the room first, …). */
  refused: number;
  skippedForReserve: number;
  /** Whether the loan is done: its run is finished and no pass takes it up again. */
  finished: boolean;
}

/**
 * The auto-invest engine: bids for the enabled rules matching a loan that opened, through the same desk as
 * placeBid (same rules, bank freeze, rounds), in the fair queue's order (least recently served first),
 * at most `bidsInFlight` at once, until the loan's auto share is full. Restart-safe: the rules that bid on
 * the loan are read back from its auto bids (unique by loan and rule), so a resumed pass serves each
 * rule at most once; the desk refuses a second bid for a rule or one past the share under the loan's lock.
 */
export class AutoInvestEngine {
  constructor(
    private readonly orm: Database,
    private readonly bank: InternalBankClient,
    private readonly desk: BidDesk,
    private readonly settings: AutoInvestSettings,
  ) {
    assert(settings.rulesPageSize >= 1 && settings.bidsInFlight >= 1, 'auto-invest pages and chunks hold rules');
  }

  /** One pass over the loan's fair queue; the run is finished when the share is full or the queue ends. */
  async runLoan(loanId: string): Promise<AutoInvestReport> {
    const report: AutoInvestReport = { loanId, placed: 0, refused: 0, skippedForReserve: 0, finished: false };
    const startedAt = new Date();
    const funding = await forkEntityManager(this.orm).findOne(Funding, { loanId });
    const capFen = funding === null ? 0n : autoShareCapFen(funding.amountFen, this.settings.shareMaxMicros);
    const attempted = new Set<string>();
    if (funding === null || (await this.shareState(loanId, capFen, attempted)) === null) return this.finish(report);
    let after: AutoInvestRuleView | null = null;
    for (let page = 0; page < AUTO_INVEST_PAGES_MAX; page += 1) {
      const rules = await this.rulesPage(funding, after, startedAt);
      for (const chunk of chunksOf(rules, this.settings.bidsInFlight)) {
        const candidates = chunk.filter((rule) => ruleMatches(rule, funding) && !attempted.has(rule.id));
        if (candidates.length === 0) continue;
        const state = await this.shareState(loanId, capFen, attempted);
        if (state === null) return this.finish(report);
        await this.bidChunk(funding, capFen, candidates, state, attempted, report);
      }
      if (rules.length < this.settings.rulesPageSize) return this.finish(report);
      after = rules[rules.length - 1];
    }
    // The queue ran past AUTO_INVEST_PAGES_MAX pages: a later pass resumes the loan.
    return report;
  }

  /**
   * Where the loan's auto share stands, read back from the database (bids settled meanwhile, manual bids
   * taking the loan); the rules that bid go into `attempted`. Null when nothing more fits.
   */
  private async shareState(loanId: string, capFen: bigint, attempted: Set<string>): Promise<AutoShareState | null> {
    const em = forkEntityManager(this.orm);
    const [funding, autoBids] = await Promise.all([em.findOne(Funding, { loanId }), autoBidsOf(em, [loanId])]);
    if (funding === null || funding.status !== 'FUNDRAISING') return null;
    const served = autoServedOf(autoBids);
    for (const ruleId of served.ruleIds) attempted.add(ruleId);
    const state = { capLeftFen: capFen - served.countedFen, remainingFen: funding.amountFen - funding.raisedFen };
    return autoShareFull(state, this.settings.minBidFen) ? null : state;
  }

  /** Plans one chunk of the queue against the investors' balances and places its bids together. */
  private async bidChunk(
    funding: Funding,
    capFen: bigint,
    rules: readonly AutoInvestRuleView[],
    state: AutoShareState,
    attempted: Set<string>,
    report: AutoInvestReport,
  ): Promise<void> {
    const balances = await this.bank.availableBalances(rules.map((rule) => rule.investorId));
    const plan = planAutoBids(rules, balances, state, this.settings.minBidFen);
    report.skippedForReserve += plan.skippedForReserve.length;
    const outcomes = await Promise.allSettled(
      plan.bids.map(({ ruleId, investorId, amountFen }) => {
        attempted.add(ruleId);
        return this.desk.place(investorId, funding.loanId, amountFen, new Date(), { ruleId, capFen });
      }),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') report.placed += 1;
      // A refusal is the rule's turn on this loan; anything else (the desk's queue full, a database
      // error) leaves the run unfinished, and the next pass tries the rule again.
      else if (isClientError(outcome.reason) && !isClientError(outcome.reason, 'RATE_LIMITED')) report.refused += 1;
      else throw outcome.reason;
    }
  }

  /**
   * A page of the enabled rules that may match (rate and term filtered here, methods by ruleMatches) in
   * the fair order after `after`, leaving out the rules served since this pass started (they bid already).
   */
  private async rulesPage(
    funding: Funding,
    after: AutoInvestRuleView | null,
    startedAt: Date,
  ): Promise<AutoInvestRuleView[]> {
    const em = forkEntityManager(this.orm);
    const cursor =
      after === null
        ? { lastServedAt: { $lt: startedAt } }
        : {
            $or: [
              { lastServedAt: { $gt: after.lastServedAt, $lt: startedAt } },
              { lastServedAt: after.lastServedAt, id: { $gt: after.id } },
            ],
          };
    const rows = await em.find(
      AutoInvestRule,
      {
        enabled: true,
        $and: [
          cursor,
          { $or: [{ rateMinMicros: null }, { rateMinMicros: { $lte: funding.investorRateMicros } }] },
          { $or: [{ termMaxMonths: null }, { termMaxMonths: { $gte: funding.termMonths } }] },
        ],
      },
      { orderBy: { lastServedAt: 'asc', id: 'asc' }, limit: this.settings.rulesPageSize },
    );
    const rules = rows.map(ruleView);
    for (let index = 1; index < rules.length; index += 1)
      assert(compareServiceOrder(rules[index - 1], rules[index]) < 0, 'a page of rules is in the fair order');
    return rules;
  }

  /** The loan's run finished, with the number of auto bids it holds. */
  private async finish(report: AutoInvestReport): Promise<AutoInvestReport> {
    const em = forkEntityManager(this.orm);
    const [{ count }] = await selectRows<{ count: number | string }>(
      em,
      'select count(*) as count from bids where loan_id = ? and auto_rule_id is not null',
      [report.loanId],
    );
    await em.nativeUpdate(
      AutoInvestRun,
      { loanId: report.loanId, finishedAt: null },
      { finishedAt: new Date(), bidCount: Number(count) },
    );
    return { ...report, finished: true };
  }
}

/** A stored rule as the domain reads it. */
export function ruleView(rule: AutoInvestRule): AutoInvestRuleView {
  return {
    id: rule.id,
    investorId: rule.investorId,
    enabled: rule.enabled,
    amountPerLoanFen: rule.amountPerLoanFen,
    rateMinMicros: rule.rateMinMicros,
    termMaxMonths: rule.termMaxMonths,
    methods: rule.methods === null ? null : rule.methods.split(','),
    reserveFen: rule.reserveFen,
    lastServedAt: rule.lastServedAt,
  };
}

/** The loans whose runs are unfinished, oldest first: at most `limit`. */
export async function unfinishedRuns(em: EntityManager, limit: number): Promise<string[]> {
  const runs = await em.find(
    AutoInvestRun,
    { finishedAt: null },
    { orderBy: { queuedAt: 'asc', loanId: 'asc' }, limit, fields: ['loanId'] },
  );
  return runs.map((run) => run.loanId);
}
