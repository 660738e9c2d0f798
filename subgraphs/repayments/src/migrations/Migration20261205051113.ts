import { Migration } from '@mikro-orm/migrations';

export class Migration20261205051113 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`penalty_waivers\` (\`id\` varchar(36) not null, \`installment_id\` varchar(36) not null, \`loan_id\` varchar(36) not null, \`amount_fen\` bigint not null, \`reason\` varchar(500) not null, \`waived_by\` varchar(36) not null, \`business_date\` varchar(10) not null, \`waived_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`penalty_waivers\` add index \`penalty_waivers_installment_id_index\`(\`installment_id\`);`,
    );

    this.addSql(`alter table \`installments\` add \`penalty_waived_fen\` bigint not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`penalty_waivers\`;`);

    this.addSql(`alter table \`installments\` drop column \`penalty_waived_fen\`;`);
  }
}
