import fs from 'node:fs';
import os from 'node:os';
import mysql from 'mysql2/promise';

/** For benchmarks: percentiles, CPU time of the machine and of single processes, and what the figures ran on. */

export function percentile(sortedMs: number[], fraction: number): number | undefined {
  if (sortedMs.length === 0) return undefined;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1)];
}

/** Busy and total CPU time of the whole machine so far (Linux /proc/stat), to tell whether a run was CPU-bound. */
export function readMachineCpu(): { busy: number; total: number } | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = fields[3] + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export function machineBusyFraction(
  before: ReturnType<typeof readMachineCpu>,
  after: ReturnType<typeof readMachineCpu>,
): number | undefined {
  if (before === undefined || after === undefined || after.total === before.total) return undefined;
  return (after.busy - before.busy) / (after.total - before.total);
}

/** Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of one process so far, in ms (Linux /proc/<pid>/stat), or undefined when it cannot be read. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields counted here start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The ids of the processes whose command name is `command` (e.g. mariadbd, beam.smp). */
export function pidsOf(command: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^[0-9]+$/.test(entry))
    .filter((entry) => {
      try {
        return fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The machine and MariaDB's durability settings, the first lines of a benchmark's report. */
export async function describeMachineAndDatabase(databaseUrl: string): Promise<string[]> {
  const database = await mysql.createConnection(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  const [rows] = await database.query(
    'select version() as version, @@innodb_flush_log_at_trx_commit as flush, @@sync_binlog as syncBinlog, @@log_bin as logBin',
  );
  await database.end();
  const { version, flush, syncBinlog, logBin } = (rows as Record<string, unknown>[])[0];
  return [
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}`,
    `MariaDB ${String(version)}: innodb_flush_log_at_trx_commit=${String(flush)} (every commit on disk), log_bin=${String(logBin)}, sync_binlog=${String(syncBinlog)}`,
  ];
}

/** A report's table: the first column left-aligned, the figures right-aligned, each column as wide as it needs. */
export function formatColumns(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** Runs a benchmark's `main`: exit 0 when it finished, 1 with the error's stack when it threw. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}

/** Refuses to run without MariaDB and RabbitMQ, then prints the machine and database lines of the report. */
export async function announceBenchmark(): Promise<void> {
  if (!process.env.DATABASE_URL || !process.env.AMQP_URL)
    throw new Error('DATABASE_URL and AMQP_URL must be set (source infra/services/env.sh)');
  console.log((await describeMachineAndDatabase(process.env.DATABASE_URL)).join('\n'));
}
