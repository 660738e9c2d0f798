import { Migration } from '@mikro-orm/migrations';

export class Migration20261204144821 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`bank_trade_password_tries\` (\`id\` varchar(36) not null, \`user_no\` varchar(40) not null, \`request_no\` varchar(40) not null, \`tried_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`bank_trade_password_tries\` add index \`bank_trade_password_tries_request_no_index\`(\`request_no\`);`,
    );
    this.addSql(
      `alter table \`bank_trade_password_tries\` add index \`bank_trade_password_tries_user_no_tried_at_index\`(\`user_no\`, \`tried_at\`);`,
    );

    this.addSql(`alter table \`bank_users\` add unique \`bank_users_id_number_unique\`(\`id_number\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`bank_trade_password_tries\`;`);

    this.addSql(`alter table \`bank_users\` drop index \`bank_users_id_number_unique\`;`);
  }
}
