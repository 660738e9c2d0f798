import { Migration } from '@mikro-orm/migrations';

export class Migration20261204213857 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`provider_callbacks\` (\`id\` varchar(36) not null, \`reference\` varchar(64) not null, \`url\` varchar(2048) not null, \`message_type\` varchar(64) not null, \`data\` text not null, \`attempts\` int not null default 0, \`next_attempt_at\` datetime(3) not null, \`status\` varchar(10) not null, \`last_error\` varchar(500) null, \`delivered_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`provider_callbacks\` add unique \`provider_callbacks_reference_unique\`(\`reference\`);`,
    );
    this.addSql(
      `alter table \`provider_callbacks\` add index \`provider_callbacks_status_next_attempt_at_index\`(\`status\`, \`next_attempt_at\`);`,
    );

    this.addSql(
      `create table \`risk_assessments\` (\`answer_id\` varchar(64) not null, \`application_id\` varchar(64) not null, \`score\` int not null, \`decision\` varchar(10) not null, \`limit_fen\` bigint not null, \`assessed_at\` datetime(3) not null, primary key (\`answer_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`risk_assessments\` add unique \`risk_assessments_application_id_unique\`(\`application_id\`);`,
    );

    this.addSql(
      `create table \`provider_nonces\` (\`nonce\` varchar(64) not null, \`seen_at\` datetime(3) not null, primary key (\`nonce\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`provider_nonces\` add index \`provider_nonces_seen_at_index\`(\`seen_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`provider_callbacks\`;`);

    this.addSql(`drop table if exists \`risk_assessments\`;`);

    this.addSql(`drop table if exists \`provider_nonces\`;`);
  }
}
