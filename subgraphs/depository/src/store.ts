import type { EntityManager } from '@wanxin/platform';
import { DepositoryRequest } from './entities/depository-request.entity';

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
  await em
    .createQueryBuilder(DepositoryRequest)
    .insert([...records])
    .onConflict('requestNo')
    .ignore()
    .execute();
}
