import { Migration } from '@mikro-orm/migrations';

export class Migration20261122020333 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`loan_bids\` (\`bid_id\` varchar(36) not null, \`loan_id\` varchar(36) not null, \`investor_id\` varchar(36) not null, \`amount_fen\` bigint not null, primary key (\`bid_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`loan_bids\` add index \`loan_bids_loan_id_index\`(\`loan_id\`);`);

    this.addSql(
      `create table \`opened_accounts\` (\`user_id\` varchar(36) not null, \`user_no\` varchar(40) not null, \`opened_at\` datetime(3) not null, primary key (\`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `alter table \`loans\` add \`under_review_borrower_id\` varchar(36) null, add \`opened_at\` datetime(3) null, add \`fail_reason\` varchar(500) null, add \`project_request_no\` varchar(40) null, add \`confirm_request_no\` varchar(40) null, add \`fee_fen\` bigint null, add \`disbursed_at\` datetime(3) null, add \`close_request_no\` varchar(40) null, add \`bank_project_closed_at\` datetime(3) null;`,
    );
    this.addSql(
      `alter table \`loans\` add unique \`loans_under_review_borrower_id_unique\`(\`under_review_borrower_id\`);`,
    );
    this.addSql(`alter table \`loans\` add index \`loans_status_opened_at_index\`(\`status\`, \`opened_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`loan_bids\`;`);

    this.addSql(`drop table if exists \`opened_accounts\`;`);

    this.addSql(`alter table \`loans\` drop index \`loans_under_review_borrower_id_unique\`;`);
    this.addSql(`alter table \`loans\` drop index \`loans_status_opened_at_index\`;`);
    this.addSql(
      `alter table \`loans\` drop column \`under_review_borrower_id\`, drop column \`opened_at\`, drop column \`fail_reason\`, drop column \`project_request_no\`, drop column \`confirm_request_no\`, drop column \`fee_fen\`, drop column \`disbursed_at\`, drop column \`close_request_no\`, drop column \`bank_project_closed_at\`;`,
    );
  }
}
