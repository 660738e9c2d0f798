import { Migration } from '@mikro-orm/migrations';

export class Migration20261122003803 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`installments\` (\`id\` varchar(36) not null, \`loan_id\` varchar(36) not null, \`period\` int not null, \`due_date\` varchar(10) not null, \`principal_fen\` bigint not null, \`interest_fen\` bigint not null, \`status\` varchar(16) not null, \`repaid_at\` datetime(3) null, \`overdue_days\` int not null default 0, \`penalty_fen\` bigint not null default 0, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`installments\` add unique \`installments_loan_id_period_unique\`(\`loan_id\`, \`period\`);`,
    );

    this.addSql(
      `create table \`receivables\` (\`id\` varchar(36) not null, \`installment_id\` varchar(36) not null, \`loan_id\` varchar(36) not null, \`bid_id\` varchar(36) not null, \`investor_id\` varchar(36) not null, \`principal_fen\` bigint not null, \`interest_fen\` bigint not null, \`status\` varchar(16) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`receivables\` add index \`receivables_investor_id_index\`(\`investor_id\`);`);
    this.addSql(
      `alter table \`receivables\` add unique \`receivables_installment_id_bid_id_unique\`(\`installment_id\`, \`bid_id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`installments\`;`);

    this.addSql(`drop table if exists \`receivables\`;`);
  }
}
