import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { PreTransactionBizType } from '@wanxin/platform/bank-protocol';
import type { DepositoryRequestStatus } from '../domain/depository-request';

/**
 * Every instruction the agent sent (or handed the user to send) to the bank, by its requestNo. No `version`
 * column: a result is applied with the row locked (agent/bank-results.ts), batch results move it by
 * conditional UPDATE on its status (agent/internal-route.ts).
 */
@Entity({ tableName: 'depository_requests' })
@Index({ properties: ['status', 'createdAt'] })
@Index({ properties: ['businessDate'] })
@Index({ properties: ['projectNo', 'serviceName'] })
export class DepositoryRequest {
  [OptionalProps]?:
    | 'id'
    | 'userId'
    | 'amountFen'
    | 'projectNo'
    | 'bizType'
    | 'instruction'
    | 'bankCode'
    | 'message'
    | 'createdAt'
    | 'syncedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Unique()
  @Property({ type: 'string', length: 40 })
  requestNo!: string;

  @Property({ type: 'string', length: 32 })
  serviceName!: string;

  /** The user it concerns, when it concerns one (not for project-level instructions). */
  @Index()
  @Property({ type: 'string', length: 36, nullable: true })
  userId: string | null = null;

  /** What it moves or freezes as the platform expects it (domain/request-amount.ts); null when nothing. */
  @Property({ type: new BigIntType('bigint'), nullable: true })
  amountFen: bigint | null = null;

  /** The loan's project at the bank, for instructions about one. */
  @Property({ type: 'string', length: 40, nullable: true })
  projectNo: string | null = null;

  /** What a freeze froze (a bid, or an installment being collected): how its release reads on a statement. */
  @Property({ type: 'string', length: 16, nullable: true })
  bizType: PreTransactionBizType | null = null;

  /**
   * A direct instruction's reqData as signed and sent (JSON, without its accounting date): what the bank's answer
   * is read against, e.g. whose freeze a release settles and each investor's share of a repayment.
   */
  @Property({ type: 'text', columnType: 'mediumtext', nullable: true, lazy: true })
  instruction: string | null = null;

  @Property({ type: 'string', length: 8 })
  status!: DepositoryRequestStatus;

  /** The bank's return code once known. */
  @Property({ type: 'string', length: 8, nullable: true })
  bankCode: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  message: string | null = null;

  /**
   * The business date the instruction was sent on (YYYY-MM-DD), carried to the bank as its
   * `accountingDate`: the day both sides book it under and reconcile it on.
   */
  @Property({ type: 'string', length: 10 })
  businessDate!: string;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'Date', length: 3, nullable: true })
  syncedAt: Date | null = null;
}
