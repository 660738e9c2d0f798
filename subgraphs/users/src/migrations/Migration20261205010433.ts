import { Migration } from '@mikro-orm/migrations';

export class Migration20261205010433 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`credit_applications\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`status\` varchar(16) not null, \`open_claim\` varchar(36) null, \`review_reason\` varchar(500) null, \`reviewed_by\` varchar(36) null, \`reviewed_at\` datetime(3) null, \`asks_sent\` int not null default 0, \`last_asked_at\` datetime(3) null, \`next_ask_at\` datetime(3) null, \`answer_id\` varchar(64) null, \`score\` int null, \`limit_fen\` bigint null, \`created_at\` datetime(3) not null, \`settled_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`credit_applications\` add unique \`credit_applications_open_claim_unique\`(\`open_claim\`);`,
    );
    this.addSql(
      `alter table \`credit_applications\` add index \`credit_applications_status_next_ask_at_index\`(\`status\`, \`next_ask_at\`);`,
    );
    this.addSql(
      `alter table \`credit_applications\` add index \`credit_applications_user_id_created_at_index\`(\`user_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`risk_reports\` (\`answer_id\` varchar(64) not null, \`application_id\` varchar(36) not null, \`score\` int not null, \`decision\` varchar(16) not null, \`limit_fen\` bigint not null, \`assessed_at\` datetime(3) not null, \`raw_answer\` text not null, \`outcome\` varchar(16) not null, \`received_at\` datetime(3) not null, primary key (\`answer_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`risk_reports\` add index \`risk_reports_application_id_index\`(\`application_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`credit_applications\`;`);

    this.addSql(`drop table if exists \`risk_reports\`;`);
  }
}
