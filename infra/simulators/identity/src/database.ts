import type { DatabaseSpec } from '@wanxin/platform';
import { KIT_ENTITIES } from '@wanxin/simulator-kit';
import { migrations } from './migrations';
import { Verification } from './verification.entity';

/** The identity provider's own database, `<DATABASE_NAME_PREFIX>_identity`: its tables only. */
export const identityDatabase: DatabaseSpec = {
  subgraph: 'identity',
  entities: [...KIT_ENTITIES, Verification],
  migrations,
  messaging: false,
  readCommitted: true,
};
