import type { DatabaseSpec } from '@wanxin/platform';
import { KIT_ENTITIES } from '@wanxin/simulator-kit';
import { RiskAssessmentRecord } from './assessment.entity';
import { migrations } from './migrations';

/** The risk provider's own database, `<DATABASE_NAME_PREFIX>_risk`: its tables only. */
export const riskDatabase: DatabaseSpec = {
  subgraph: 'risk',
  entities: [...KIT_ENTITIES, RiskAssessmentRecord],
  migrations,
  messaging: false,
  readCommitted: true,
};
