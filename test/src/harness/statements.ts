// The statement invariant, checked after every e2e scenario: for every user with money at the bank, the
// depository's statement is the whole history of their account as the bank numbered it (postings 1 … n,
// none missing, n the bank's own count), each entry's balances its predecessor's plus its changes, its
// amount their sum, and at the end Σ amounts = available + frozen = what the bank holds for them, the
// last entry's balances the bank's. Read from both databases directly, as an auditor would.
import mysql from 'mysql2/promise';
import { databaseName, type PlatformConfig } from '@wanxin/platform';
import { statementHistoryProblem, type PostedEntry } from '@wanxin/platform/bank-protocol';
import { eventually } from '@wanxin/platform/testing';

interface BankUserAccount {
  userNo: string;
  availableFen: bigint;
  frozenFen: bigint;
  postingSeq: bigint;
}

interface EntryRow extends PostedEntry {
  userNo: string;
}

/** How long the agent may take to hear the bank's last answers (its sync job settles one never heard). */
const STATEMENTS_SETTLE_MS = 30_000;

async function query<T>(config: PlatformConfig, database: string, sql: string): Promise<T[]> {
  const connection = await mysql.createConnection({
    uri: config.database.url!.toString().replace(/^mariadb:/, 'mysql:'),
    database: databaseName(config, database),
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  try {
    return (await connection.query(sql))[0] as T[];
  } finally {
    await connection.end();
  }
}

async function bankUserAccounts(config: PlatformConfig): Promise<BankUserAccount[]> {
  const rows = await query<Record<string, string>>(
    config,
    'bank',
    'select substring(ref, 6) as userNo, credits_posted_fen - debits_posted_fen - debits_pending_fen as available, ' +
      "debits_pending_fen as frozen, posting_seq as seq from bank_accounts where code = 'USER'",
  );
  return rows.map((row) => ({
    userNo: row.userNo,
    availableFen: BigInt(row.available),
    frozenFen: BigInt(row.frozen),
    postingSeq: BigInt(row.seq),
  }));
}

async function statementEntries(config: PlatformConfig): Promise<Map<string, EntryRow[]>> {
  const rows = await query<Record<string, string>>(
    config,
    'depository',
    'select a.user_no as userNo, e.bank_seq, e.amount_fen, e.available_change_fen, e.frozen_change_fen, ' +
      'e.available_after_fen, e.frozen_after_fen from statement_entries e ' +
      'join depository_accounts a on a.user_id = e.user_id order by e.user_id, e.bank_seq',
  );
  const byUser = new Map<string, EntryRow[]>();
  for (const row of rows) {
    const entry: EntryRow = {
      userNo: row.userNo,
      bankSeq: BigInt(row.bank_seq),
      amountFen: BigInt(row.amount_fen),
      availableChangeFen: BigInt(row.available_change_fen),
      frozenChangeFen: BigInt(row.frozen_change_fen),
      availableAfterFen: BigInt(row.available_after_fen),
      frozenAfterFen: BigInt(row.frozen_after_fen),
    };
    byUser.set(entry.userNo, [...(byUser.get(entry.userNo) ?? []), entry]);
  }
  return byUser;
}

/** What is wrong with one user's statement against their account at the bank, or null. */
function statementProblemOf(account: BankUserAccount, entries: readonly EntryRow[]): string | null {
  const problem = statementHistoryProblem(entries);
  if (problem !== null) return problem;
  if (BigInt(entries.length) !== account.postingSeq)
    return `${entries.length} entries, the bank made ${account.postingSeq} postings`;
  const totalFen = entries.reduce((sum, entry) => sum + entry.amountFen, 0n);
  if (totalFen !== account.availableFen + account.frozenFen)
    return `Σ amounts ${totalFen}, the bank holds ${account.availableFen} + ${account.frozenFen} frozen`;
  const last = entries.at(-1);
  if ((last?.availableAfterFen ?? 0n) !== account.availableFen || (last?.frozenAfterFen ?? 0n) !== account.frozenFen)
    return "the last entry's balances are not the bank's";
  return null;
}

/** Every user's statement problem, as `userNo: problem`; empty when every statement equals the bank. */
export async function statementProblems(config: PlatformConfig): Promise<string[]> {
  const [accounts, entries] = await Promise.all([bankUserAccounts(config), statementEntries(config)]);
  return accounts.flatMap((account) => {
    const problem = statementProblemOf(account, entries.get(account.userNo) ?? []);
    return problem === null ? [] : [`${account.userNo}: ${problem}`];
  });
}

/** Waits until every user's statement equals the bank (the agent may still be hearing answers); fails if not. */
export async function assertStatementsEqualTheBank(config: PlatformConfig): Promise<void> {
  let problems: string[] = [];
  try {
    await eventually(async () => {
      problems = await statementProblems(config);
      return problems.length === 0 ? true : undefined;
    }, STATEMENTS_SETTLE_MS);
  } catch {
    throw new Error(`statements differ from the bank:\n${problems.slice(0, 20).join('\n')}`);
  }
}
