import { Migration } from '@mikro-orm/migrations';

export class Migration20261122021520 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`fundings\` (\`loan_id\` varchar(36) not null, \`loan_no\` varchar(40) not null, \`borrower_id\` varchar(36) not null, \`amount_fen\` bigint not null, \`raised_fen\` bigint not null default 0, \`bid_count\` int not null default 0, \`status\` varchar(16) not null, \`investor_rate_micros\` int not null, \`term_months\` int not null, \`repayment_method\` varchar(24) not null, \`opened_at\` datetime(3) not null, primary key (\`loan_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(`alter table \`bids\` add \`release_request_no\` varchar(40) null;`);
    this.addSql(`alter table \`bids\` add index \`bids_status_index\`(\`status\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`fundings\`;`);

    this.addSql(`alter table \`bids\` drop index \`bids_status_index\`;`);
    this.addSql(`alter table \`bids\` drop column \`release_request_no\`;`);
  }
}
