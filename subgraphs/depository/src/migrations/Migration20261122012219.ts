import { Migration } from '@mikro-orm/migrations';

export class Migration20261122012219 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`depository_requests\` (\`id\` varchar(36) not null, \`request_no\` varchar(40) not null, \`service_name\` varchar(32) not null, \`user_id\` varchar(36) null, \`amount_fen\` bigint null, \`status\` varchar(8) not null, \`bank_code\` varchar(8) null, \`message\` varchar(200) null, \`created_at\` datetime(3) not null, \`synced_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`depository_requests\` add unique \`depository_requests_request_no_unique\`(\`request_no\`);`,
    );
    this.addSql(`alter table \`depository_requests\` add index \`depository_requests_user_id_index\`(\`user_id\`);`);
    this.addSql(
      `alter table \`depository_requests\` add index \`depository_requests_status_created_at_index\`(\`status\`, \`created_at\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`depository_requests\`;`);
  }
}
