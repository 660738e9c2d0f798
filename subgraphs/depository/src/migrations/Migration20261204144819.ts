import { Migration } from '@mikro-orm/migrations';

export class Migration20261204144819 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`depository_accounts\` add \`id_number\` varchar(18) null;`);
    this.addSql(
      `alter table \`depository_accounts\` add unique \`depository_accounts_id_number_unique\`(\`id_number\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`depository_accounts\` drop index \`depository_accounts_id_number_unique\`;`);
    this.addSql(`alter table \`depository_accounts\` drop column \`id_number\`;`);
  }
}
