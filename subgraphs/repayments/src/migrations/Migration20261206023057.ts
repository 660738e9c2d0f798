import { Migration } from '@mikro-orm/migrations';

export class Migration20261206023057 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`transfers\` (\`id\` varchar(36) not null, \`bid_id\` varchar(36) not null, \`open_bid_id\` varchar(36) null, \`loan_id\` varchar(36) not null, \`seller_id\` varchar(36) not null, \`buyer_id\` varchar(36) null, \`principal_fen\` bigint not null, \`price_fen\` bigint not null, \`fee_fen\` bigint not null, \`status\` varchar(16) not null, \`request_no\` varchar(40) null, \`reserved_at\` datetime(3) null, \`listed_at\` datetime(3) not null, \`listed_business_date\` varchar(10) not null, \`sold_at\` datetime(3) null, \`ended_at\` datetime(3) null, \`end_reason\` varchar(24) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`transfers\` add index \`transfers_bid_id_index\`(\`bid_id\`);`);
    this.addSql(`alter table \`transfers\` add unique \`transfers_open_bid_id_unique\`(\`open_bid_id\`);`);
    this.addSql(`alter table \`transfers\` add index \`transfers_seller_id_index\`(\`seller_id\`);`);
    this.addSql(`alter table \`transfers\` add index \`transfers_loan_id_status_index\`(\`loan_id\`, \`status\`);`);
    this.addSql(
      `alter table \`transfers\` add index \`transfers_status_reserved_at_index\`(\`status\`, \`reserved_at\`);`,
    );
    this.addSql(
      `alter table \`transfers\` add index \`transfers_status_listed_business_date_index\`(\`status\`, \`listed_business_date\`);`,
    );

    this.addSql(`alter table \`loan_shares\` add index \`loan_shares_investor_id_index\`(\`investor_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`transfers\`;`);

    this.addSql(`alter table \`loan_shares\` drop index \`loan_shares_investor_id_index\`;`);
  }
}
