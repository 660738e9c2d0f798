import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { CreditApplicationStatus } from '../domain/credit-application';

/**
 * A borrower's credit application (domain/credit-application.ts): reviewed by an admin, then scored by the
 * risk provider, whose request id is this application's id.
 */
@Entity({ tableName: 'credit_applications' })
@Index({ properties: ['userId', 'createdAt'] })
@Index({ properties: ['status', 'nextAskAt'] })
export class CreditApplication {
  [OptionalProps]?:
    | 'id'
    | 'reviewReason'
    | 'reviewedBy'
    | 'reviewedAt'
    | 'asksSent'
    | 'lastAskedAt'
    | 'nextAskAt'
    | 'answerId'
    | 'score'
    | 'limitFen'
    | 'createdAt'
    | 'settledAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36 })
  userId!: string;

  @Property({ type: 'string', length: 16 })
  status!: CreditApplicationStatus;

  /**
   * The user's id while the application is open (SUBMITTED or RISK_PENDING), null once decided: its unique
   * index keeps a borrower to one open application, even when two applications are sent at once.
   */
  @Unique()
  @Property({ type: 'string', length: 36, nullable: true })
  openClaim!: string | null;

  /** The admin's reason: required to refuse, optional to approve. */
  @Property({ type: 'string', length: 500, nullable: true })
  reviewReason: string | null = null;

  @Property({ type: 'string', length: 36, nullable: true })
  reviewedBy: string | null = null;

  @Property({ type: 'Date', length: 3, nullable: true })
  reviewedAt: Date | null = null;

  /** Requests sent to the risk provider so far (re-asks included). */
  @Property({ type: 'integer' })
  asksSent: number = 0;

  /** When the last request was sent; the review's time until the first. */
  @Property({ type: 'Date', length: 3, nullable: true })
  lastAskedAt: Date | null = null;

  /** When the risk job sends the next request (domain nextRiskAskAt); null when none will be sent. */
  @Property({ type: 'Date', length: 3, nullable: true })
  nextAskAt: Date | null = null;

  /** The risk provider's answer that settled it (risk_reports.answer_id), null until one did. */
  @Property({ type: 'string', length: 64, nullable: true })
  answerId: string | null = null;

  @Property({ type: 'integer', nullable: true })
  score: number | null = null;

  /** The limit granted when APPROVED. */
  @Property({ type: new BigIntType('bigint'), nullable: true })
  limitFen: bigint | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();

  /** When it was decided: refused by the review, or answered by the risk provider. */
  @Property({ type: 'Date', length: 3, nullable: true })
  settledAt: Date | null = null;
}

/** How a stored answer was applied (domain/credit-application.ts, applyRiskAnswer). */
export type RiskReportOutcome = 'SETTLED' | 'IGNORED';

/** Every answer the risk provider sent, stored once by its id, with the signed message as received. */
@Entity({ tableName: 'risk_reports' })
@Index({ properties: ['applicationId'] })
export class RiskReport {
  [OptionalProps]?: 'receivedAt';

  @PrimaryKey({ type: 'string', length: 64 })
  answerId!: string;

  @Property({ type: 'string', length: 36 })
  applicationId!: string;

  @Property({ type: 'integer' })
  score!: number;

  @Property({ type: 'string', length: 16 })
  decision!: 'APPROVED' | 'REJECTED';

  @Property({ type: new BigIntType('bigint') })
  limitFen!: bigint;

  @Property({ type: 'Date', length: 3 })
  assessedAt!: Date;

  /** The provider's signed message (JSON text), kept whole as the seed asks. */
  @Property({ type: 'text' })
  rawAnswer!: string;

  /** SETTLED: it decided the application; IGNORED: the application was not waiting for it (kept, not applied). */
  @Property({ type: 'string', length: 16 })
  outcome!: RiskReportOutcome;

  @Property({ type: 'Date', length: 3 })
  receivedAt: Date = new Date();
}
