import { Migration } from '@mikro-orm/migrations';

export class Migration20261122003801 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`users\` (\`id\` varchar(36) not null, \`mobile\` varchar(11) not null, \`password_hash\` varchar(200) not null, \`role\` varchar(16) not null, \`real_name\` varchar(50) null, \`id_number\` varchar(18) null, \`failed_login_count\` int not null default 0, \`locked_until\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`users\` add unique \`users_mobile_unique\`(\`mobile\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`users\`;`);
  }
}
