import type { EntityManager } from '@mikro-orm/knex';
import { assert } from './assert';
import { forkEntityManager, type Database } from './db';
import { GroupCommit, type GroupCommitLimits } from './group-commit';

/** A business transaction: all of its writes (its effect, its outbox rows) commit together or not at all. */
export type TransactionWork<T> = (tx: EntityManager) => Promise<T>;

/** What a business transaction of a group came to: its result, or what it threw. */
type WorkOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Business transactions that arrive while `groupsInFlightMax` groups run wait for the next group, at most
 * this many in one (their rows go in one multi-row statement per table) and this many waiting.
 */
export const DEFAULT_GROUPED_TRANSACTION_LIMITS: GroupCommitLimits = {
  groupsInFlightMax: 1,
  itemsPerGroupMax: 64,
  waitingMax: 2_000,
  startAfterTurn: true,
};

/**
 * Group commit for independent business transactions of one database (GroupCommit): the ones that arrive
 * while a group commits share the next database transaction, so its fixed cost (BEGIN, COMMIT and its disk
 * flush, one INSERT per table for all of their rows, the relay's wake-up) is paid once per group instead
 * of once per business transaction. The works of a group run one after another on one EntityManager, as
 * if they were one transaction's steps in arrival order, and are flushed together at its commit. Each one
 * still commits its own effect with its own events: when anything in a group fails (a work throws, a
 * deadlock, a unique key), the group rolls back and each work runs again alone in its own transaction, so
 * only the failing one fails. A work must therefore be safe to run twice (no calls outside the database:
 * those belong after the commit anyway). A lone work waits for nothing but the end of the event-loop turn.
 */
export class GroupedTransactions {
  private readonly groups: GroupCommit<TransactionWork<unknown>, WorkOutcome>;

  constructor(
    private readonly orm: Database,
    limits: GroupCommitLimits = DEFAULT_GROUPED_TRANSACTION_LIMITS,
  ) {
    this.groups = new GroupCommit((works) => this.runGroup(works), limits);
  }

  /**
   * Runs `work` in a transaction shared with the other business transactions of its group; resolves with
   * its result after the commit, or rejects with its own error. Past `waitingMax` waiting it runs alone.
   */
  async run<T>(work: TransactionWork<T>): Promise<T> {
    const outcome = await (this.groups.offer(work as TransactionWork<unknown>) ?? this.runAlone(work));
    if (!outcome.ok) throw outcome.error;
    return outcome.value as T;
  }

  private async runGroup(works: TransactionWork<unknown>[]): Promise<WorkOutcome[]> {
    assert(works.length > 0, 'a group holds at least one business transaction');
    if (works.length === 1) return [await this.runAlone(works[0])];
    try {
      const values = await forkEntityManager(this.orm).transactional(async (tx) => {
        const results: unknown[] = [];
        for (const work of works) results.push(await work(tx));
        return results;
      });
      return values.map((value) => ({ ok: true, value }));
    } catch {
      // Which one failed, and whether it fails alone, only running them one by one tells.
      const outcomes: WorkOutcome[] = [];
      for (const work of works) outcomes.push(await this.runAlone(work));
      return outcomes;
    }
  }

  private async runAlone(work: TransactionWork<unknown>): Promise<WorkOutcome> {
    try {
      return { ok: true, value: await forkEntityManager(this.orm).transactional(work) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
