import { Migration } from '@mikro-orm/migrations';

export class Migration20261205001602 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`credit_lines\` (\`user_id\` varchar(36) not null, \`limit_fen\` bigint not null, \`used_fen\` bigint not null, \`score\` int not null, \`annual_rate_micros\` int not null, \`granted_at\` datetime(3) not null, \`application_id\` varchar(36) not null, primary key (\`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(`alter table \`loans\` add \`credit_used_fen\` bigint not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`credit_lines\`;`);

    this.addSql(`alter table \`loans\` drop column \`credit_used_fen\`;`);
  }
}
