import { TokenRevocationsMigration } from '@wanxin/platform';

/** The token revocations every subgraph keeps (auth/revocations.ts in the platform). */
export class Migration20261205185000 extends TokenRevocationsMigration {}
