import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox and inbox every subgraph has beside its own tables (MySQL). Each subgraph registers it in
 * its history as a subclass named as the migration it recorded when it first got them, since MikroORM
 * knows a migration by that name: a database that ran it once never runs it again.
 */
export class OutboxInboxMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`inbox\` (\`consumer\` varchar(100) not null, \`message_id\` varchar(36) not null, \`type\` varchar(100) not null, \`handled_at\` datetime(3) not null, primary key (\`consumer\`, \`message_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`outbox\` (\`id\` varchar(36) not null, \`type\` varchar(100) not null, \`version\` int not null, \`aggregate_id\` varchar(64) not null, \`body\` text not null, \`occurred_at\` datetime(3) not null, \`status\` varchar(8) not null, \`attempts\` int not null default 0, \`next_attempt_at\` datetime(3) not null, \`last_error\` varchar(500) null, \`sent_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`outbox\` add index \`outbox_aggregate_id_status_index\`(\`aggregate_id\`, \`status\`);`);
    this.addSql(
      `alter table \`outbox\` add index \`outbox_status_next_attempt_at_index\`(\`status\`, \`next_attempt_at\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`inbox\`;`);

    this.addSql(`drop table if exists \`outbox\`;`);
  }
}
