import { Migration } from '@mikro-orm/migrations';

export class Migration20261122003803 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`depository_accounts\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`user_no\` varchar(32) not null, \`status\` varchar(16) not null, \`balance_fen\` bigint not null default 0, \`frozen_fen\` bigint not null default 0, \`bank_code\` varchar(16) null, \`card_number\` varchar(32) null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`depository_accounts\` add unique \`depository_accounts_user_id_unique\`(\`user_id\`);`);
    this.addSql(`alter table \`depository_accounts\` add unique \`depository_accounts_user_no_unique\`(\`user_no\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`depository_accounts\`;`);
  }
}
