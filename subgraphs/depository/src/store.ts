import { newId, type EntityManager } from '@wanxin/platform';
import { DepositoryRequest } from './entities/depository-request.entity';
import { StatementEntry } from './entities/statement-entry.entity';

/**
 * The depository agent's and jobs' statements beyond the ORM's find/insert/update (the style is
 * raw-sql.ts's in the platform).
 */

/** A request record as inserted, every column given. */
export type RequestRecord = Pick<
  DepositoryRequest,
  | 'id'
  | 'requestNo'
  | 'serviceName'
  | 'userId'
  | 'amountFen'
  | 'instruction'
  | 'businessDate'
  | 'status'
  | 'bankCode'
  | 'message'
  | 'createdAt'
  | 'syncedAt'
>;

/**
 * Inserts the records in one statement, leaving alone each whose requestNo is already recorded (the
 * dialect's own "insert ignore" / "on conflict do nothing", built by the ORM).
 */
export async function insertRequestsUnlessRecorded(
  em: EntityManager,
  records: readonly RequestRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await em
    .createQueryBuilder(DepositoryRequest)
    .insert([...records])
    .onConflict('requestNo')
    .ignore()
    .execute();
}

/** Inserts the entries in one statement, leaving alone each whose posting the user's statement already has. */
export async function insertStatementEntriesUnlessRecorded(
  em: EntityManager,
  entries: readonly Omit<StatementEntry, 'id' | 'createdAt'>[],
): Promise<void> {
  if (entries.length === 0) return;
  await em
    .createQueryBuilder(StatementEntry)
    .insert(entries.map((entry) => ({ ...entry, id: newId(), createdAt: new Date() })))
    .onConflict(['userId', 'bankSeq'])
    .ignore()
    .execute();
}
