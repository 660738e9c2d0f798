import { Migration } from '@mikro-orm/migrations';

export class Migration20261204213001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`depository_requests\` add \`business_date\` varchar(10) null;`);
    // Requests recorded before instructions carried their business date belong to their UTC day.
    this.addSql(`update \`depository_requests\` set \`business_date\` = date_format(\`created_at\`, '%Y-%m-%d');`);
    this.addSql(`alter table \`depository_requests\` modify \`business_date\` varchar(10) not null;`);
    this.addSql(
      `alter table \`depository_requests\` add index \`depository_requests_business_date_index\`(\`business_date\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`depository_requests\` drop index \`depository_requests_business_date_index\`;`);
    this.addSql(`alter table \`depository_requests\` drop column \`business_date\`;`);
  }
}
