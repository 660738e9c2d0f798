// Reaches into a subgraph's MariaDB database (mostly repayments'), as an operator at the console would: to
// hold a row locked while a daily run needs it, to set up a state the public API reaches only with time, or
// to recount what a read model says.
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { databaseName, type SubgraphName } from '@wanxin/platform';
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

/**
 * Holds the row `id` of `table` locked in its subgraph's database (SELECT … FOR UPDATE in an open
 * transaction): a statement that needs it (a run collecting the loan, a repayment being recorded, a sale
 * moving a loan share, an auto bid marking its rule served) waits for it, until `release()`.
 */
export async function lockRow(platform: RunningPlatform, table: keyof typeof LOCKABLE, id: string) {
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
