import { OutboxInboxMigration } from '@wanxin/platform';

/** The platform's outbox and inbox, under the name this subgraph's history recorded them. */
export class Migration20261122004841 extends OutboxInboxMigration {}
