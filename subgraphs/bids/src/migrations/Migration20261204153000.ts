import { Migration } from '@mikro-orm/migrations';

export class Migration20261204153000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`business_days\` (\`date\` varchar(10) not null, \`received_at\` datetime(3) not null, primary key (\`date\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`business_days\`;`);
  }
}
