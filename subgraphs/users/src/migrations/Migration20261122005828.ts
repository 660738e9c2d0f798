import { Migration } from '@mikro-orm/migrations';

export class Migration20261122005828 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`login_address_failures\` (\`address\` varchar(64) not null, \`window_started_at\` datetime(3) not null, \`failures\` int not null, primary key (\`address\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`login_address_failures\`;`);
  }
}
