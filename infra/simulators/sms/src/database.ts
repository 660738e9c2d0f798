import type { DatabaseSpec } from '@wanxin/platform';
import { KIT_ENTITIES } from '@wanxin/simulator-kit';
import { migrations } from './migrations';
import { SmsReceived } from './received.entity';

/** The SMS provider's own database, `<DATABASE_NAME_PREFIX>_sms`: its table and the kit's (it calls nothing back). */
export const smsDatabase: DatabaseSpec = {
  subgraph: 'sms',
  entities: [...KIT_ENTITIES, SmsReceived],
  migrations,
  messaging: false,
  readCommitted: true,
};
