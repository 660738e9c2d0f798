import { Migration } from '@mikro-orm/migrations';

export class Migration20261205052132 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`collection_cases\` (\`id\` varchar(36) not null, \`loan_id\` varchar(36) not null, \`open_loan_id\` varchar(36) null, \`borrower_id\` varchar(36) not null, \`status\` varchar(8) not null, \`stage\` varchar(24) not null, \`severity\` varchar(8) not null, \`overdue_days\` int not null, \`overdue_since\` varchar(10) not null, \`overdue_amount_fen\` bigint not null, \`opened_on\` varchar(10) not null, \`updated_on\` varchar(10) not null, \`closed_on\` varchar(10) null, \`promised_date\` varchar(10) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`collection_cases\` add index \`collection_cases_loan_id_index\`(\`loan_id\`);`);
    this.addSql(
      `alter table \`collection_cases\` add unique \`collection_cases_open_loan_id_unique\`(\`open_loan_id\`);`,
    );
    this.addSql(
      `alter table \`collection_cases\` add index \`collection_cases_status_overdue_since_index\`(\`status\`, \`overdue_since\`);`,
    );

    this.addSql(
      `create table \`collection_notes\` (\`id\` varchar(36) not null, \`case_id\` varchar(36) not null, \`note\` varchar(1000) not null, \`promised_date\` varchar(10) null, \`author_id\` varchar(36) not null, \`business_date\` varchar(10) not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`collection_notes\` add index \`collection_notes_case_id_index\`(\`case_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`collection_cases\`;`);

    this.addSql(`drop table if exists \`collection_notes\`;`);
  }
}
