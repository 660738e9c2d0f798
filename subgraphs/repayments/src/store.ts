import { runSql, sqlPlaceholders, type EntityManager } from '@wanxin/platform';
import type { CollectionStatus } from './entities/collection.entity';

/**
 * The repayments subgraph's hand-written statements (the style is raw-sql.ts's in the platform);
 * everything else goes through the ORM.
 */

/**
 * Fixes the confirm requestNo of collection `requestNo` while it has none and is in one of `statuses`: one
 * conditional update (once per installment of a due day); the rows set (0 or 1).
 */
export function setConfirmRequestNo(
  em: EntityManager,
  requestNo: string,
  confirmRequestNo: string,
  statuses: readonly CollectionStatus[],
): Promise<number> {
  return runSql(
    em,
    'update collections set confirm_request_no = ? where request_no = ? and confirm_request_no is null ' +
      `and status in (${sqlPlaceholders(statuses.length)})`,
    [confirmRequestNo, requestNo, ...statuses],
  );
}
