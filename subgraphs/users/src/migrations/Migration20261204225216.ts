import { Migration } from '@mikro-orm/migrations';

export class Migration20261204225216 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`profiles\` (\`user_id\` varchar(36) not null, \`education\` varchar(50) not null, \`address\` varchar(200) not null, \`email\` varchar(254) not null, \`employer\` varchar(100) not null, \`position\` varchar(50) not null, \`monthly_income_fen\` bigint not null, \`emergency_contacts_json\` text not null, \`updated_at\` datetime(3) not null, primary key (\`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`profiles\`;`);
  }
}
