import { Migration } from '@mikro-orm/migrations';

export class Migration20261205190402 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`statement_entries\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`bank_seq\` bigint not null, \`request_no\` varchar(40) not null, \`kind\` varchar(20) not null, \`amount_fen\` bigint not null, \`available_change_fen\` bigint not null, \`frozen_change_fen\` bigint not null, \`available_after_fen\` bigint not null, \`frozen_after_fen\` bigint not null, \`business_date\` varchar(10) not null, \`reference\` varchar(40) not null, \`principal_fen\` bigint null, \`interest_fen\` bigint null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`statement_entries\` add index \`statement_entries_user_id_business_date_index\`(\`user_id\`, \`business_date\`);`,
    );
    this.addSql(
      `alter table \`statement_entries\` add unique \`statement_entries_user_id_bank_seq_unique\`(\`user_id\`, \`bank_seq\`);`,
    );

    this.addSql(`alter table \`depository_requests\` add \`instruction\` json null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`statement_entries\`;`);

    this.addSql(`alter table \`depository_requests\` drop column \`instruction\`;`);
  }
}
