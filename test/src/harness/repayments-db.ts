// Reaches into the repayments subgraph's MariaDB database, as an operator at the console would: to hold
// a row locked while a daily run needs it, or to set up a state the public API reaches only with time.
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { databaseName } from '@wanxin/platform';
import type { RunningPlatform } from './platform';

/** A connection to repayments' own database on the platform's MariaDB. */
export function repaymentsDatabase(platform: RunningPlatform): Promise<mysql.Connection> {
  const { config } = platform.environment;
  return mysql.createConnection({
    uri: config.database.url!.toString().replace(/^mariadb:/, 'mysql:'),
    database: databaseName(config, 'repayments'),
  });
}

/**
 * Holds `loanId`'s row in repayments' database locked (SELECT … FOR UPDATE in an open transaction): a
 * run collecting the loan waits for it, its lease on the clock held, until `release()`.
 */
export async function lockRepaymentLoanRow(platform: RunningPlatform, loanId: string) {
  const connection = await repaymentsDatabase(platform);
  await connection.beginTransaction();
  const [locked] = await connection.query('select id from repayment_loans where id = ? for update', [loanId]);
  assert.equal((locked as unknown[]).length, 1, 'the loan has its row');
  return {
    /**
     * Whether another session of repayments waits to lock this row now. Read from the process list: the
     * waiting statement is there (MariaDB holds it in its optimizer's range check, before innodb_lock_waits
     * lists it).
     */
    async waitedFor(): Promise<boolean> {
      const [rows] = await connection.query(
        "select count(*) as waiting from information_schema.processlist where db = database() and id <> connection_id() and info like '%repayment_loans%for update%' and info like ?",
        [`%${loanId}%`],
      );
      return Number((rows as { waiting: number }[])[0].waiting) > 0;
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
