import type { DatabaseSpec } from '@wanxin/platform';
import { BANK_ENTITIES } from './entities';
import { migrations } from './migrations';

/**
 * The bank's own database, `<DATABASE_NAME_PREFIX>_bank`: its tables only, no outbox or inbox. READ
 * COMMITTED: every read in a request sees what is committed now, not a snapshot from its first read; the
 * conditional updates and unique keys carry the invariants (services/ledger-store.ts, recording.ts).
 */
export const bankDatabase: DatabaseSpec = {
  subgraph: 'bank',
  entities: BANK_ENTITIES,
  migrations,
  messaging: false,
  readCommitted: true,
};
