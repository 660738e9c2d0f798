import { Migration } from '@mikro-orm/migrations';

export class Migration20261205221419 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`depository_requests\` add \`biz_type\` varchar(16) null;`);
    // Freezes recorded before the column: their kind is in the instruction they were sent with.
    this.addSql(
      `update \`depository_requests\` set \`biz_type\` = json_value(\`instruction\`, '$.bizType') ` +
        `where \`instruction\` is not null and json_value(\`instruction\`, '$.bizType') in ('TENDER', 'REPAYMENT');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`depository_requests\` drop column \`biz_type\`;`);
  }
}
