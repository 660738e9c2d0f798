import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { MySqlDriver } from '@mikro-orm/mysql';
import { assert } from '../assert';
import { forkEntityManager, type Database } from '../db';
import type { Logger } from '../logger';
import { runSqlInChunks, selectRows } from '../raw-sql';
import { WakeLoop } from '../wake-loop';
import { mayGoUnheard } from './event';
import type { MessagingMetrics } from './metrics';
import type { RelayOptions } from './options';
import { OutboxMessage } from './outbox.entity';
import type { EventTransport, PublishOutcome } from './transport';
import { retryDelayMs, type RetryPolicy } from '../retry';

/**
 * The platform's retry curve over an outbox row's publish attempts, without jitter: the next attempt is a
 * timestamp on the row, and relays already take turns through their leases.
 */
function publishRetryPolicy(options: RelayOptions): RetryPolicy {
  const { attemptsMax, retryDelayMs: firstDelayMs, retryDelayMaxMs: delayMaxMs } = options;
  return { attemptsMax, firstDelayMs, delayMaxMs, jitter: 0 };
}

/**
 * The rows of `run` from `from` that share its type: they go to the broker together, in order on one
 * channel. Rows of one type go to the same queues, so they are refused together (unroutable) or not at
 * all; only a broker nack inside the segment (no queue has a length limit, so a failing broker) can let a
 * later row through ahead of a refused one, and the relay logs it.
 */
function sameTypeSegment(run: OutboxRow[], from: number): OutboxRow[] {
  let to = from + 1;
  while (to < run.length && run[to].type === run[from].type) to += 1;
  return run.slice(from, to);
}

/** The columns of an outbox row the relay reads: not the entity, whose hydration costs more than the SQL. */
type OutboxRow = Pick<OutboxMessage, 'id' | 'type' | 'aggregateId' | 'body' | 'attempts'>;

/** A due row, with what the outbox holds pending of its aggregate: its oldest id, and how many up to this row. */
type CandidateRow = OutboxRow & { oldestPendingId: string; pendingThrough: number };

/**
 * Up to `limit` due rows, oldest first; on MySQL locked (`FOR UPDATE SKIP LOCKED`) until the claim commits.
 * Each comes with its aggregate's oldest pending id and the count of its aggregate's pending rows up to it,
 * read by subqueries in the same statement (plain reads: they lock nothing, and they see the rows other
 * relays hold). Raw SQL, one statement: the claim runs once per pass on the events' hot path.
 */
async function selectDueRows(em: EntityManager, now: Date, limit: number, mysql: boolean): Promise<CandidateRow[]> {
  const rows = await selectRows<
    Omit<OutboxRow, 'aggregateId'> & { aggregate_id: string; oldest: string; pending_through: number | string }
  >(
    em,
    'select o.id, o.type, o.aggregate_id, o.body, o.attempts, ' +
      "(select min(p.id) from outbox p where p.aggregate_id = o.aggregate_id and p.status = 'PENDING') as oldest, " +
      '(select count(*) from outbox p where p.aggregate_id = o.aggregate_id ' +
      "and p.status = 'PENDING' and p.id <= o.id) as pending_through " +
      "from outbox o where o.status = 'PENDING' and o.next_attempt_at <= ? " +
      `order by o.id limit ?${mysql ? ' for update skip locked' : ''}`,
    [now, limit],
  );
  return rows.map(({ aggregate_id: aggregateId, attempts, oldest, pending_through: pendingThrough, ...row }) => ({
    ...row,
    aggregateId,
    attempts: Number(attempts),
    oldestPendingId: oldest,
    pendingThrough: Number(pendingThrough),
  }));
}

/**
 * The candidates (in id order) that may leave now, grouped by aggregate. An aggregate's candidates may go
 * from its oldest pending row on, as long as nothing pending (leased by another relay, or not yet due)
 * sits between them: the run is the longest prefix whose every row counts exactly the rows before it in
 * the run as pending ahead of it. When its oldest pending row is not a candidate, none may go.
 */
function orderedRuns(candidates: readonly CandidateRow[]): OutboxRow[][] {
  const byAggregate = new Map<string, CandidateRow[]>();
  for (const row of candidates) {
    const rows = byAggregate.get(row.aggregateId);
    if (rows === undefined) byAggregate.set(row.aggregateId, [row]);
    else rows.push(row);
  }
  const runs: OutboxRow[][] = [];
  for (const rows of byAggregate.values()) {
    if (rows[0].id !== rows[0].oldestPendingId) continue;
    let length = 0;
    while (length < rows.length && rows[length].pendingThrough === length + 1) length += 1;
    assert(length >= 1, `the oldest pending row ${rows[0].id} counts ${rows[0].pendingThrough} pending up to it`);
    runs.push(
      rows
        .slice(0, length)
        .map(({ id, type, aggregateId, body, attempts }) => ({ id, type, aggregateId, body, attempts })),
    );
  }
  return runs;
}

function setNextAttemptAt(em: EntityManager, rows: readonly OutboxRow[], at: Date): Promise<number> {
  return runSqlInChunks(em, {
    values: rows.map((row) => row.id),
    sqlOf: (placeholders) => `update outbox set next_attempt_at = ? where id in (${placeholders})`,
    paramsOf: (chunk) => [at, ...chunk],
  });
}

/** A refused row and the rows of its run it held back. */
interface Refusal {
  row: OutboxRow;
  outcome: Extract<PublishOutcome, { confirmed: false }>;
  behind: OutboxRow[];
}

/** What a pass learned: rows to mark SENT, and the refused ones with the rows behind them. */
interface Settlement {
  sent: OutboxRow[];
  refused: Refusal[];
}

/**
 * Publishes outbox rows. A pass claims due rows (on MySQL with `FOR UPDATE SKIP LOCKED`, so relays
 * in several replicas never take the same row) by leasing them, publishes them outside any transaction,
 * then marks the confirmed ones SENT and reschedules the rest with backoff. An aggregate's events leave
 * in order: a pass claims, per aggregate, the run of its pending rows that starts at its oldest, and
 * publishes the runs in waves, each wave the next same-type segment of every run, so no event goes out
 * before the broker confirmed the events of other types ahead of it; a run stops at its first refused
 * row. A hot aggregate (a loan taking hundreds of bids) so drains in one pass and one confirm round trip
 * per segment, instead of a pass per row. A relay that dies after publishing leaves its rows pending:
 * they go again when the lease ends and the inbox absorbs the copy.
 */
export class OutboxRelay {
  private readonly loop: WakeLoop;

  constructor(
    private readonly orm: Database,
    private readonly transport: EventTransport,
    private readonly options: RelayOptions,
    private readonly logger: Logger,
    private readonly metrics: MessagingMetrics,
  ) {
    assert(options.batchSize >= 1 && options.batchSize <= 10_000, 'relay batch size out of range');
    assert(options.leaseMs > 0, 'the relay lease must be positive');
    this.loop = new WakeLoop(
      () => this.drain(),
      options.pollIntervalMs,
      (error) => logger.error({ err: error }, 'outbox relay pass failed'),
      Math.min(options.gatherMs, options.pollIntervalMs),
    );
  }

  start(): void {
    this.loop.wake();
  }

  /** Runs a pass soon; called after a commit that wrote outbox rows. Passes never overlap. */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Passes until one sees fewer due rows than a batch (it saw them all and claimed every one that may
   * leave) or claims none (what it saw waits behind rows not yet due). Rows committed meanwhile woke the
   * loop, which runs again; a row held back behind another relay's lease waits for the poll. Failed rows
   * are rescheduled into the future, so this ends.
   */
  private async drain(): Promise<void> {
    for (let pass = 0; pass < 1000 && !this.loop.isStopped; pass += 1) {
      const { seen, claimed } = await this.pass(new Date());
      if (seen < this.options.batchSize || claimed === 0) return;
    }
  }

  /** One pass; returns how many rows it claimed. Exposed for tests that drive the relay by hand. */
  async runPass(now: Date = new Date()): Promise<number> {
    return (await this.pass(now)).claimed;
  }

  /** Claims, publishes and settles; says how many due rows it saw and how many it claimed. */
  private async pass(now: Date): Promise<{ seen: number; claimed: number }> {
    const { runs, seen } = await this.claim(now);
    if (runs.length === 0) return { seen, claimed: 0 };
    const settlement: Settlement = { sent: [], refused: [] };
    let going = runs.map((rows) => ({ rows, next: 0 }));
    while (going.length > 0) {
      const segments = going.map((run) => sameTypeSegment(run.rows, run.next));
      const outcomes = await this.publishWave(segments.flat());
      let offset = 0;
      going = going.filter((run, index) => {
        const segment = segments[index];
        const goesOn = this.record(settlement, run, segment, outcomes.slice(offset, offset + segment.length));
        offset += segment.length;
        return goesOn;
      });
    }
    await this.settle(settlement);
    return { seen, claimed: runs.reduce((claimed, run) => claimed + run.length, 0) };
  }

  /** Records a published segment's outcomes; says whether its run goes on to the next wave. */
  private record(
    settlement: Settlement,
    run: { rows: OutboxRow[]; next: number },
    segment: OutboxRow[],
    outcomes: PublishOutcome[],
  ): boolean {
    const refusedAt = outcomes.findIndex((outcome) => !outcome.confirmed);
    if (refusedAt === -1) {
      settlement.sent.push(...segment);
      run.next += segment.length;
      return run.next < run.rows.length;
    }
    const refused = outcomes[refusedAt];
    assert(!refused.confirmed, 'the first refused outcome is a refusal');
    settlement.sent.push(...segment.slice(0, refusedAt));
    const refusal: Refusal = { row: segment[refusedAt], outcome: refused, behind: [] };
    settlement.refused.push(refusal);
    for (const [position, row] of segment.entries()) {
      if (position <= refusedAt) continue;
      if (outcomes[position].confirmed) {
        // The broker took it before the refused one comes again: it is out, in the wrong order.
        settlement.sent.push(row);
        this.logger.warn(
          { messageId: row.id, type: row.type, aggregateId: row.aggregateId, ahead: refusal.row.id },
          'published ahead of a refused event of its aggregate',
        );
      } else {
        refusal.behind.push(row);
      }
    }
    refusal.behind.push(...run.rows.slice(run.next + segment.length));
    return false;
  }

  private async publishWave(rows: OutboxRow[]): Promise<PublishOutcome[]> {
    let outcomes: PublishOutcome[];
    try {
      outcomes = await this.transport.publish(
        rows.map((row) => ({ messageId: row.id, routingKey: row.type, body: Buffer.from(row.body) })),
      );
    } catch (error) {
      outcomes = rows.map(() => ({ confirmed: false, reason: (error as Error).message }));
    }
    assert(outcomes.length === rows.length, 'transport must answer for every message');
    return outcomes.map((outcome, index) =>
      !outcome.confirmed && outcome.unroutable && mayGoUnheard(rows[index].type) ? { confirmed: true } : outcome,
    );
  }

  /** Leases due rows that may leave, as runs, one per aggregate, each in the order it must leave. */
  private async claim(now: Date): Promise<{ runs: OutboxRow[][]; seen: number }> {
    const em = forkEntityManager(this.orm);
    // SKIP LOCKED lets relays of several replicas claim disjoint rows; SQLite has one writer anyway.
    const mysql = this.orm.em.getDriver() instanceof MySqlDriver;
    // READ COMMITTED: no gap locks, so a claim never blocks (or deadlocks with) business transactions
    // inserting new outbox rows; SKIP LOCKED still keeps two relays off the same rows.
    return em.transactional(
      async (tx) => {
        const candidates = await selectDueRows(tx, now, this.options.batchSize, mysql);
        if (candidates.length === 0) return { runs: [], seen: 0 };
        const runs = orderedRuns(candidates);
        const leased = runs.flat();
        if (leased.length > 0) await setNextAttemptAt(tx, leased, new Date(now.getTime() + this.options.leaseMs));
        return { runs, seen: candidates.length };
      },
      mysql ? { isolationLevel: IsolationLevel.READ_COMMITTED } : {},
    );
  }

  private async settle({ sent, refused }: Settlement): Promise<void> {
    const em = forkEntityManager(this.orm);
    const now = new Date();
    if (sent.length > 0)
      await runSqlInChunks(em, {
        values: sent.map((row) => row.id),
        sqlOf: (placeholders) => `update outbox set status = 'SENT', sent_at = ? where id in (${placeholders})`,
        paramsOf: (chunk) => [now, ...chunk],
      });
    this.metrics.published.inc(sent.length);
    for (const { row, outcome, behind } of refused) {
      const attempts = row.attempts + 1;
      const dead = attempts >= this.options.attemptsMax;
      const nextAttemptAt = new Date(now.getTime() + retryDelayMs(publishRetryPolicy(this.options), attempts));
      await em.nativeUpdate(
        OutboxMessage,
        { id: row.id },
        { attempts, status: dead ? 'DEAD' : 'PENDING', lastError: outcome.reason.slice(0, 500), nextAttemptAt },
      );
      // The rows it held back come due with its retry (not a lease later, and not before, so they fill no
      // claim while they wait); past a DEAD one they go now.
      if (behind.length > 0) await setNextAttemptAt(em, behind, dead ? now : nextAttemptAt);
      if (dead) {
        this.metrics.dead.inc({ stage: 'outbox' });
        this.logger.error(
          { messageId: row.id, type: row.type, attempts, reason: outcome.reason },
          'outbox row is DEAD',
        );
      } else {
        // No queue bound yet is the normal start of a platform whose consumer starts after the publisher
        // (`npm start`, a first deploy): the row waits for it, and only ending DEAD is worth an alarm.
        const level = 'unroutable' in outcome && outcome.unroutable === true ? 'debug' : 'warn';
        const fields = { messageId: row.id, type: row.type, attempts, reason: outcome.reason };
        this.logger[level](fields, 'publish failed, will retry');
      }
    }
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
