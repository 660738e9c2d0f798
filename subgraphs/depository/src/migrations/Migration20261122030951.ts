import { Migration } from '@mikro-orm/migrations';

export class Migration20261122030951 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`reconciliation_runs\` (\`date\` varchar(10) not null, \`requested_at\` datetime(3) not null, \`matched\` int not null default 0, \`not_submitted\` int not null default 0, \`missing_at_bank\` int not null default 0, \`missing_at_platform\` int not null default 0, \`mismatched\` int not null default 0, \`platform_amount_fen\` bigint not null default 0, \`bank_amount_fen\` bigint not null default 0, \`completed_at\` datetime(3) null, primary key (\`date\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`reconciliation_runs\`;`);
  }
}
