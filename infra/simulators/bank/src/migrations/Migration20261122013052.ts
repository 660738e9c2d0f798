import { Migration } from '@mikro-orm/migrations';

export class Migration20261122013052 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`bank_requests\` add index \`bank_requests_created_at_index\`(\`created_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`bank_requests\` drop index \`bank_requests_created_at_index\`;`);
  }
}
