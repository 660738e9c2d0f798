import { Migration } from '@mikro-orm/migrations';

export class Migration20261204213857 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`provider_callbacks\` (\`id\` varchar(36) not null, \`reference\` varchar(64) not null, \`url\` varchar(2048) not null, \`message_type\` varchar(64) not null, \`data\` text not null, \`attempts\` int not null default 0, \`next_attempt_at\` datetime(3) not null, \`status\` varchar(10) not null, \`last_error\` varchar(500) null, \`delivered_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`provider_callbacks\` add unique \`provider_callbacks_reference_unique\`(\`reference\`);`,
    );
    this.addSql(
      `alter table \`provider_callbacks\` add index \`provider_callbacks_status_next_attempt_at_index\`(\`status\`, \`next_attempt_at\`);`,
    );

    this.addSql(
      `create table \`provider_nonces\` (\`nonce\` varchar(64) not null, \`seen_at\` datetime(3) not null, primary key (\`nonce\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`provider_nonces\` add index \`provider_nonces_seen_at_index\`(\`seen_at\`);`);

    this.addSql(
      `create table \`identity_verifications\` (\`reference\` varchar(64) not null, \`request_id\` varchar(64) not null, \`id_number\` varchar(100) not null, \`status\` varchar(10) not null, \`reason\` varchar(32) null, \`id_front_sha256\` varchar(64) not null, \`id_back_sha256\` varchar(64) not null, \`face_sha256\` varchar(64) not null, \`decided_at\` datetime(3) not null, primary key (\`reference\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`identity_verifications\` add unique \`identity_verifications_request_id_unique\`(\`request_id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`provider_callbacks\`;`);

    this.addSql(`drop table if exists \`provider_nonces\`;`);

    this.addSql(`drop table if exists \`identity_verifications\`;`);
  }
}
