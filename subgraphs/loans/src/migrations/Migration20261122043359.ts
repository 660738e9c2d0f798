import { Migration } from '@mikro-orm/migrations';

export class Migration20261122043359 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`loans\` drop index \`loans_status_opened_at_index\`;`);

    this.addSql(`alter table \`loans\` add \`opened_business_at\` datetime(3) null;`);
    // Loans opened before business time existed opened at their wall-clock time.
    this.addSql(`update \`loans\` set \`opened_business_at\` = \`opened_at\` where \`opened_at\` is not null;`);
    this.addSql(
      `alter table \`loans\` add index \`loans_status_opened_business_at_index\`(\`status\`, \`opened_business_at\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`loans\` drop index \`loans_status_opened_business_at_index\`;`);
    this.addSql(`alter table \`loans\` drop column \`opened_business_at\`;`);

    this.addSql(`alter table \`loans\` add index \`loans_status_opened_at_index\`(\`status\`, \`opened_at\`);`);
  }
}
