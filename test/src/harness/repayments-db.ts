// Reaches into a subgraph's MariaDB database (mostly repayments'), as an operator at the console would: to
// hold a row locked while a daily run needs it, to set up a state the public API reaches only with time, or
// to recount what a read model says.
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { databaseName, type SubgraphName } from '@wanxin/platform';
import { waitFor } from '@wanxin/platform/testing';
import type { RunningPlatform } from './platform';

/** A connection to a subgraph's own database on the platform's MariaDB. */
export function subgraphDatabase(platform: RunningPlatform, subgraph: SubgraphName): Promise<mysql.Connection> {
  const { config } = platform.environment;
  return mysql.createConnection({
    uri: config.database.url!.toString().replace(/^mariadb:/, 'mysql:'),
    database: databaseName(config, subgraph),
  });
}

/** A connection to repayments' own database on the platform's MariaDB. */
export function repaymentsDatabase(platform: RunningPlatform): Promise<mysql.Connection> {
  return subgraphDatabase(platform, 'repayments');
}

/** The rows a test may hold locked: each table's subgraph and key column. */
const LOCKABLE = {
  repayment_loans: { subgraph: 'repayments', key: 'id' },
  installments: { subgraph: 'repayments', key: 'id' },
  loan_shares: { subgraph: 'repayments', key: 'bid_id' },
  auto_invest_rules: { subgraph: 'bids', key: 'id' },
} as const satisfies Record<string, { subgraph: SubgraphName; key: string }>;

type LockableTable = keyof typeof LOCKABLE;
type LockedRow = Awaited<ReturnType<typeof lockRow>>;

/**
 * Holds the row `id` of `table` locked in its subgraph's database (SELECT … FOR UPDATE in an open
 * transaction): a statement that needs it (a run collecting the loan, a repayment being recorded, a sale
 * moving a loan share, an auto bid marking its rule served) waits for it, until `release()`.
 */
export async function lockRow(platform: RunningPlatform, table: LockableTable, id: string) {
  const { subgraph, key } = LOCKABLE[table];
  const connection = await subgraphDatabase(platform, subgraph);
  await connection.beginTransaction();
  const [locked] = await connection.query(`select ${key} from ${table} where ${key} = ? for update`, [id]);
  assert.equal((locked as unknown[]).length, 1, `${table} has the row ${id}`);
  return {
    /**
     * Whether another session of the subgraph waits on this row now (a locking read or an update of it). Read from the process list: the waiting
     * statement is there (MariaDB holds it in its optimizer's range check, before innodb_lock_waits lists it).
     */
    async waitedFor(): Promise<boolean> {
      const [rows] = await connection.query(
        "select count(*) as waiting from information_schema.processlist where db = database() and id <> connection_id() and info like ? and info like ? and (info like '%for update%' or lower(info) like 'update%')",
        [`%${table}%`, `%${id}%`],
      );
      return Number((rows as { waiting: number }[])[0].waiting) > 0;
    },
    /** Reads a column of the locked row as this session sees it. */
    async read(column: string): Promise<unknown> {
      const [rows] = await connection.query(`select ${column} as value from ${table} where ${key} = ?`, [id]);
      return (rows as { value: unknown }[])[0].value;
    },
    async runLeaseHeld(): Promise<boolean> {
      const [rows] = await connection.query('select run_id as runId from business_clock');
      return (rows as { runId: string | null }[]).some((row) => row.runId !== null);
    },
    async release(): Promise<void> {
      await connection.rollback();
      await connection.end();
    },
  };
}

/** How long a call may take to reach the locked row it is to wait for. */
const REACH_LOCKED_ROW_MAX_MS = 30_000;

/**
 * Kills (SIGKILL) the subgraph owning `table` while `call` waits for the row `id`, held locked for that: the
 * call has done every step before its write of the row and dies there. Fails if the call ends before it
 * waits; `whileWaiting` checks what the call has done by then. The row is released after the kill.
 */
export async function killWhileWaitingOnRow(
  platform: RunningPlatform,
  row: { table: LockableTable; id: string },
  call: () => Promise<unknown>,
  options: { what: string; whileWaiting?: (lock: LockedRow) => Promise<void> },
): Promise<void> {
  const lock = await lockRow(platform, row.table, row.id);
  try {
    let ended: unknown;
    const running = call().then(
      (answer) => (ended = answer),
      (error: unknown) => (ended = String(error)),
    );
    await waitFor(async () => ended !== undefined || (await lock.waitedFor()), {
      timeoutMs: REACH_LOCKED_ROW_MAX_MS,
      what: options.what,
    });
    assert.equal(ended, undefined, `the call ended before ${options.what}: ${JSON.stringify(ended)}`);
    await options.whileWaiting?.(lock);
    await platform.restart(LOCKABLE[row.table].subgraph, { kill: true });
    await running;
  } finally {
    await lock.release();
  }
}
