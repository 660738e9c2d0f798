import { Migration } from '@mikro-orm/migrations';

export class Migration20261204231051 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`identity_checks\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`status\` varchar(16) not null, \`real_name\` varchar(50) not null, \`id_number\` varchar(18) not null, \`id_number_claim\` varchar(18) null, \`id_front_sha256\` varchar(64) not null, \`id_back_sha256\` varchar(64) not null, \`face_sha256\` varchar(64) not null, \`provider_reference\` varchar(100) null, \`reason\` varchar(32) null, \`created_at\` datetime(3) not null, \`settled_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`identity_checks\` add unique \`identity_checks_id_number_claim_unique\`(\`id_number_claim\`);`,
    );
    this.addSql(
      `alter table \`identity_checks\` add index \`identity_checks_user_id_created_at_index\`(\`user_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`provider_nonces\` (\`nonce\` varchar(64) not null, \`received_at\` datetime(3) not null, primary key (\`nonce\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(`alter table \`users\` add unique \`users_id_number_unique\`(\`id_number\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`identity_checks\`;`);

    this.addSql(`drop table if exists \`provider_nonces\`;`);

    this.addSql(`alter table \`users\` drop index \`users_id_number_unique\`;`);
  }
}
