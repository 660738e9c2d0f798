import type { DatabaseSpec } from '@wanxin/platform';
import { BANK_ENTITIES } from './entities';
import { migrations } from './migrations';

/** The bank's own database, `<DATABASE_NAME_PREFIX>_bank`: its tables only, no outbox or inbox. */
export const bankDatabase: DatabaseSpec = { subgraph: 'bank', entities: BANK_ENTITIES, migrations, messaging: false };
