import { Migration } from '@mikro-orm/migrations';

export class Migration20261122010525 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`bank_accounts\` (\`id\` varchar(36) not null, \`ref\` varchar(64) not null, \`code\` varchar(16) not null, \`debits_posted_fen\` bigint not null, \`credits_posted_fen\` bigint not null, \`debits_pending_fen\` bigint not null, \`credits_pending_fen\` bigint not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`bank_accounts\` add unique \`bank_accounts_ref_unique\`(\`ref\`);`);

    this.addSql(
      `create table \`bank_freezes\` (\`transfer_id\` varchar(36) not null, \`request_no\` varchar(40) not null, \`user_no\` varchar(40) not null, \`project_no\` varchar(40) not null, \`biz_type\` varchar(16) not null, \`amount_fen\` bigint not null, \`created_at\` datetime(3) not null, primary key (\`transfer_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`bank_freezes\` add unique \`bank_freezes_request_no_unique\`(\`request_no\`);`);
    this.addSql(
      `alter table \`bank_freezes\` add index \`bank_freezes_project_no_biz_type_index\`(\`project_no\`, \`biz_type\`);`,
    );

    this.addSql(
      `create table \`bank_notifications\` (\`id\` varchar(36) not null, \`request_no\` varchar(40) not null, \`body\` text not null, \`attempts\` int not null default 0, \`next_attempt_at\` datetime(3) not null, \`status\` varchar(10) not null, \`last_error\` varchar(500) null, \`delivered_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`bank_notifications\` add unique \`bank_notifications_request_no_unique\`(\`request_no\`);`,
    );
    this.addSql(
      `alter table \`bank_notifications\` add index \`bank_notifications_status_next_attempt_at_index\`(\`status\`, \`next_attempt_at\`);`,
    );

    this.addSql(
      `create table \`bank_projects\` (\`id\` varchar(36) not null, \`project_no\` varchar(40) not null, \`borrower_user_no\` varchar(40) not null, \`name\` varchar(200) not null, \`amount_fen\` bigint not null, \`status\` varchar(16) not null, \`account_id\` varchar(36) not null, \`version\` int not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`bank_projects\` add unique \`bank_projects_project_no_unique\`(\`project_no\`);`);

    this.addSql(
      `create table \`bank_requests\` (\`request_no\` varchar(40) not null, \`service_name\` varchar(40) not null, \`body_sha256\` varchar(64) not null, \`status\` varchar(12) not null, \`code\` varchar(5) not null, \`response\` text not null, \`created_at\` datetime(3) not null, primary key (\`request_no\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`bank_transfers\` (\`id\` varchar(36) not null, \`kind\` varchar(16) not null, \`debit_account_id\` varchar(36) not null, \`credit_account_id\` varchar(36) not null, \`amount_fen\` bigint not null, \`pending_id\` varchar(36) null, \`request_no\` varchar(40) not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`bank_transfers\` add unique \`bank_transfers_pending_id_unique\`(\`pending_id\`);`);
    this.addSql(`alter table \`bank_transfers\` add index \`bank_transfers_request_no_index\`(\`request_no\`);`);
    this.addSql(
      `alter table \`bank_transfers\` add index \`bank_transfers_credit_account_id_index\`(\`credit_account_id\`);`,
    );
    this.addSql(
      `alter table \`bank_transfers\` add index \`bank_transfers_debit_account_id_index\`(\`debit_account_id\`);`,
    );

    this.addSql(
      `create table \`bank_users\` (\`id\` varchar(36) not null, \`user_no\` varchar(40) not null, \`real_name\` varchar(50) not null, \`id_number\` varchar(18) not null, \`bank_code\` varchar(16) not null, \`card_number\` varchar(19) not null, \`card_mobile\` varchar(11) not null, \`trade_password_hash\` varchar(200) not null, \`account_id\` varchar(36) not null, \`card_account_id\` varchar(36) not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`bank_users\` add unique \`bank_users_user_no_unique\`(\`user_no\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`bank_accounts\`;`);

    this.addSql(`drop table if exists \`bank_freezes\`;`);

    this.addSql(`drop table if exists \`bank_notifications\`;`);

    this.addSql(`drop table if exists \`bank_projects\`;`);

    this.addSql(`drop table if exists \`bank_requests\`;`);

    this.addSql(`drop table if exists \`bank_transfers\`;`);

    this.addSql(`drop table if exists \`bank_users\`;`);
  }
}
