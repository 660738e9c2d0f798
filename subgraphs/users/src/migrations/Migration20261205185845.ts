import { Migration } from '@mikro-orm/migrations';

export class Migration20261205185845 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`user_admin_actions\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`action\` varchar(8) not null, \`admin_id\` varchar(36) not null, \`reason\` varchar(200) not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`user_admin_actions\` add index \`user_admin_actions_user_id_id_index\`(\`user_id\`, \`id\`);`,
    );

    this.addSql(`alter table \`users\` add \`disabled_at\` datetime(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`user_admin_actions\`;`);

    this.addSql(`alter table \`users\` drop column \`disabled_at\`;`);
  }
}
