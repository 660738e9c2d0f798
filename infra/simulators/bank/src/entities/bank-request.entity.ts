import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { BankCode } from '@wanxin/platform/bank-protocol';

/** How a recorded request ended; the row is written with its answer, last in the request's transaction. */
export type RecordedRequestStatus = 'SUCCESS' | 'FAILED';

/**
 * Every request the bank applied or refused on business grounds, by requestNo: a repeat with the same
 * body gets the stored answer back byte for byte and applies nothing; a repeat with another body is refused.
 */
@Entity({ tableName: 'bank_requests' })
@Index({ properties: ['createdAt'] })
@Index({ properties: ['accountingDate', 'createdAt'] })
export class BankRequest {
  /** The primary key is the requestNo itself: one row per requestNo, whoever races to insert it. */
  @PrimaryKey({ type: 'string', length: 40 })
  requestNo!: string;

  @Property({ type: 'string', length: 40 })
  serviceName!: string;

  /** sha256 (hex) of serviceName, a newline and the reqData JSON text exactly as signed. */
  @Property({ type: 'string', length: 64 })
  bodySha256!: string;

  @Property({ type: 'string', length: 12 })
  status!: RecordedRequestStatus;

  @Property({ type: 'string', length: 5 })
  code!: BankCode;

  /** The answer's JSON (respData decoded), signed again when sent: the signature is deterministic. */
  @Property({ type: 'text' })
  response!: string;

  /**
   * The day the instruction is booked under (YYYY-MM-DD): the platform's business date it carried as
   * `accountingDate`; a cancelled page request takes its cancellation's. The reconciliation file selects by it.
   */
  @Property({ type: 'string', length: 10 })
  accountingDate!: string;

  /** Wall-clock audit stamp: when the bank recorded it. */
  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}
