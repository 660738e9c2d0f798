import { Migration } from '@mikro-orm/migrations';

export class Migration20261205112503 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`provider_callbacks\` (\`id\` varchar(36) not null, \`attempts\` int not null default 0, \`next_attempt_at\` datetime(3) not null, \`status\` varchar(10) not null, \`last_error\` varchar(500) null, \`delivered_at\` datetime(3) null, \`created_at\` datetime(3) not null, \`reference\` varchar(64) not null, \`url\` varchar(2048) not null, \`message_type\` varchar(64) not null, \`data\` text not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
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
      `create table \`sms_received\` (\`provider_message_id\` varchar(32) not null, \`message_id\` varchar(64) not null, \`mobile\` varchar(11) not null, \`template\` varchar(32) not null, \`params\` text not null, \`text\` varchar(500) not null, \`received_at\` datetime(3) not null, primary key (\`provider_message_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`sms_received\` add unique \`sms_received_message_id_unique\`(\`message_id\`);`);
    this.addSql(
      `alter table \`sms_received\` add index \`sms_received_mobile_received_at_index\`(\`mobile\`, \`received_at\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`provider_callbacks\`;`);

    this.addSql(`drop table if exists \`provider_nonces\`;`);

    this.addSql(`drop table if exists \`sms_received\`;`);
  }
}
