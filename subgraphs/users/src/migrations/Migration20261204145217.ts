import { Migration } from '@mikro-orm/migrations';

export class Migration20261204145217 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`address_throttles\` (\`action\` varchar(16) not null, \`address\` varchar(64) not null, \`window_started_at\` datetime(3) not null, \`attempts\` int not null, primary key (\`action\`, \`address\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(`drop table if exists \`login_address_failures\`;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create table \`login_address_failures\` (\`address\` varchar(64) not null, \`window_started_at\` datetime(3) not null, \`failures\` int not null, primary key (\`address\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(`drop table if exists \`address_throttles\`;`);
  }
}
