import { Migration } from '@mikro-orm/migrations';

export class Migration20261122003802 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`loans\` (\`id\` varchar(36) not null, \`loan_no\` varchar(32) not null, \`borrower_id\` varchar(36) not null, \`title\` varchar(100) not null, \`description\` text null, \`amount_fen\` bigint not null, \`annual_rate_micros\` int not null, \`investor_rate_micros\` int not null, \`term_months\` int not null, \`repayment_method\` varchar(20) not null, \`status\` varchar(20) not null, \`reject_reason\` varchar(500) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`loans\` add unique \`loans_loan_no_unique\`(\`loan_no\`);`);
    this.addSql(`alter table \`loans\` add index \`loans_borrower_id_index\`(\`borrower_id\`);`);
    this.addSql(`alter table \`loans\` add index \`loans_status_index\`(\`status\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`loans\`;`);
  }
}
