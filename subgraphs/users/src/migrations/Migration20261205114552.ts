import { Migration } from '@mikro-orm/migrations';

export class Migration20261205114552 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`sms_codes\` (\`id\` varchar(36) not null, \`mobile\` varchar(11) not null, \`code_hash\` varchar(64) not null, \`created_at\` datetime(3) not null, \`expires_at\` datetime(3) not null, \`wrong_guesses\` int not null default 0, \`used_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`sms_codes\` add index \`sms_codes_mobile_created_at_index\`(\`mobile\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`sms_messages\` (\`id\` varchar(36) not null, \`source_key\` varchar(64) not null, \`user_id\` varchar(36) null, \`mobile\` varchar(11) not null, \`template\` varchar(24) not null, \`params\` text not null, \`status\` varchar(8) not null, \`attempts\` int not null default 0, \`next_attempt_at\` datetime(3) not null, \`provider_message_id\` varchar(40) null, \`last_error\` varchar(500) null, \`created_at\` datetime(3) not null, \`sent_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`sms_messages\` add unique \`sms_messages_source_key_unique\`(\`source_key\`);`);
    this.addSql(`alter table \`sms_messages\` add index \`sms_messages_mobile_id_index\`(\`mobile\`, \`id\`);`);
    this.addSql(
      `alter table \`sms_messages\` add index \`sms_messages_status_next_attempt_at_index\`(\`status\`, \`next_attempt_at\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`sms_codes\`;`);

    this.addSql(`drop table if exists \`sms_messages\`;`);
  }
}
