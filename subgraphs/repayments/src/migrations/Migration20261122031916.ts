import { Migration } from '@mikro-orm/migrations';

export class Migration20261122031916 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`business_clock\` (\`id\` int unsigned not null default 1, \`business_date\` varchar(10) not null, \`run_id\` varchar(36) null, \`run_renewed_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`collections\` (\`request_no\` varchar(40) not null, \`loan_id\` varchar(36) not null, \`kind\` varchar(16) not null, \`installment_id\` varchar(36) null, \`amount_fen\` bigint not null, \`business_date\` varchar(10) not null, \`status\` varchar(16) not null, \`confirm_request_no\` varchar(40) null, \`created_at\` datetime(3) not null, \`answered_at\` datetime(3) null, \`confirmed_at\` datetime(3) null, primary key (\`request_no\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`collections\` add index \`collections_loan_id_status_index\`(\`loan_id\`, \`status\`);`);
    this.addSql(
      `alter table \`collections\` add index \`collections_status_created_at_index\`(\`status\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`loan_shares\` (\`bid_id\` varchar(36) not null, \`loan_id\` varchar(36) not null, \`investor_id\` varchar(36) not null, \`amount_fen\` bigint not null, primary key (\`bid_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`loan_shares\` add index \`loan_shares_loan_id_index\`(\`loan_id\`);`);

    this.addSql(
      `create table \`reminders\` (\`id\` varchar(36) not null, \`installment_id\` varchar(36) not null, \`loan_id\` varchar(36) not null, \`borrower_id\` varchar(36) not null, \`kind\` varchar(24) not null, \`channel\` varchar(24) not null, \`business_date\` varchar(10) not null, \`created_at\` datetime(3) not null, \`sent_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`reminders\` add index \`reminders_loan_id_index\`(\`loan_id\`);`);
    this.addSql(
      `alter table \`reminders\` add unique \`reminders_installment_id_kind_unique\`(\`installment_id\`, \`kind\`);`,
    );

    this.addSql(
      `create table \`repayment_loans\` (\`id\` varchar(36) not null, \`loan_no\` varchar(32) not null, \`borrower_id\` varchar(36) not null, \`amount_fen\` bigint not null, \`annual_rate_micros\` int not null, \`investor_rate_micros\` int not null, \`term_months\` int not null, \`repayment_method\` varchar(24) not null, \`start_date\` varchar(10) not null, \`status\` varchar(16) not null, \`settled_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`repayment_loans\` add index \`repayment_loans_borrower_id_index\`(\`borrower_id\`);`);

    this.addSql(`alter table \`installments\` add \`collection_request_no\` varchar(40) null;`);
    this.addSql(
      `alter table \`installments\` add index \`installments_collection_request_no_index\`(\`collection_request_no\`);`,
    );
    this.addSql(
      `alter table \`installments\` add index \`installments_status_due_date_index\`(\`status\`, \`due_date\`);`,
    );

    this.addSql(`alter table \`receivables\` add \`penalty_fen\` bigint not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`business_clock\`;`);

    this.addSql(`drop table if exists \`collections\`;`);

    this.addSql(`drop table if exists \`loan_shares\`;`);

    this.addSql(`drop table if exists \`reminders\`;`);

    this.addSql(`drop table if exists \`repayment_loans\`;`);

    this.addSql(`alter table \`installments\` drop index \`installments_collection_request_no_index\`;`);
    this.addSql(`alter table \`installments\` drop index \`installments_status_due_date_index\`;`);
    this.addSql(`alter table \`installments\` drop column \`collection_request_no\`;`);

    this.addSql(`alter table \`receivables\` drop column \`penalty_fen\`;`);
  }
}
