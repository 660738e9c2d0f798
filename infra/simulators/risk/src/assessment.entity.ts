import { BigIntType, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** The one answer to an application: asked again, the same answer (and answerId) goes out again. */
@Entity({ tableName: 'risk_assessments' })
export class RiskAssessmentRecord {
  @PrimaryKey({ type: 'string', length: 64 })
  answerId!: string;

  @Unique()
  @Property({ type: 'string', length: 64 })
  applicationId!: string;

  @Property({ type: 'integer' })
  score!: number;

  @Property({ type: 'string', length: 10 })
  decision!: string;

  @Property({ type: new BigIntType('bigint') })
  limitFen!: bigint;

  @Property({ type: 'Date', length: 3 })
  assessedAt!: Date;
}
