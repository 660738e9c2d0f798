import { Migration } from '@mikro-orm/migrations';

export class Migration20261204180000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`fundings\` add \`annual_rate_micros\` int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`fundings\` drop column \`annual_rate_micros\`;`);
  }
}
