import { Migration } from '@mikro-orm/migrations';

export class Migration20261205012356 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`verified_identities\` (\`user_id\` varchar(36) not null, \`real_name\` varchar(50) not null, \`id_number\` varchar(18) not null, \`verified_at\` datetime(3) not null, \`received_at\` datetime(3) not null, primary key (\`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`verified_identities\`;`);
  }
}
