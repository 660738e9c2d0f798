import { Migration } from '@mikro-orm/migrations';

export class Migration20261122003802 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`bids\` (\`id\` varchar(36) not null, \`loan_id\` varchar(36) not null, \`investor_id\` varchar(36) not null, \`amount_fen\` bigint not null, \`status\` varchar(16) not null, \`request_no\` varchar(40) not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`bids\` add index \`bids_loan_id_index\`(\`loan_id\`);`);
    this.addSql(`alter table \`bids\` add index \`bids_investor_id_index\`(\`investor_id\`);`);
    this.addSql(`alter table \`bids\` add unique \`bids_request_no_unique\`(\`request_no\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`bids\`;`);
  }
}
